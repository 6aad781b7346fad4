import Logging
import QuantumBus
import QuantumCore

/// Keeps an embedded replay's market from running ahead of the system: after the exchange closes
/// bars, the next market move waits until market-state has applied them, signal-bot has evaluated
/// them, exit-brain and harvest have judged the positions after them, and every intent and plan they
/// caused has been handled.
///
/// While it waits, market time stands at the last tick (the host does not let the paced clock past
/// it), so nothing in the system goes stale for want of CPU. The wait is bounded by
/// `Configuration.maximumWait` of real time, and ends sooner when nothing moves for `stallLimit`: a
/// service that is down (a fire drill) slows the replay a little, it does not stop it. Without pacing, a replay at 1440× on a busy machine found its bars stale
/// before signal-bot saw them and traded a fraction of the day.
public struct MarketPacer: Sendable {
    public struct Configuration: Sendable {
        /// The longest real time one barrier waits.
        public var maximumWait: Duration = .seconds(2)
        /// A wait in which no watermark, lag or pending count changed for this long (real time) ends.
        public var stallLimit: Duration = .milliseconds(500)
        /// The longest real time the market waits for a fill the exchange made by itself to be settled (rare: a stop
        /// firing), longer than a bar's wait so that a busy machine does not let a signal meet the unsettled position.
        public var settleWait: Duration = .seconds(5)
        /// How often (real time) a waiting barrier looks again.
        public var poll: Duration = .milliseconds(1)

        public init() {}
    }

    /// The consumer groups whose work must be done before the market moves on, in pipeline order.
    static let pipeline = OrderPathGroups.all

    public let watermarks: MarketWatermarks
    public let log: any EventLog
    public let configuration: Configuration
    public let logger: Logger
    /// Every barrier's wait: the per-bar work of the whole system.
    public let barWork = BarWork()

    public init(watermarks: MarketWatermarks, log: any EventLog, configuration: Configuration = Configuration(), logger: Logger) {
        self.watermarks = watermarks
        self.log = log
        self.configuration = configuration
        self.logger = logger
    }

    /// Returns once the system has handled the bars that closed (symbol → close time), or the wait limit passed.
    ///
    /// `patience` replaces both limits (`maximumWait`, `stallLimit`): a run's first wait, while its services start and
    /// warm up, gives them that long however still they seem. That wait is not per-bar work and is not recorded.
    public func awaitCaughtUp(_ closed: [Symbol: EpochMillis], patience: Duration? = nil) async {
        let maximumWait = patience ?? configuration.maximumWait
        let stallLimit = patience ?? configuration.stallLimit
        let start = ContinuousClock.now
        var standing = await self.standing(closed)
        let record = { (waited: Duration, caughtUp: Bool) in if patience == nil { barWork.record(waited, caughtUp: caughtUp) } }
        if standing.caughtUp { return record(ContinuousClock.now - start, true) }
        var lastMove = start
        while !Task.isCancelled {
            let now = ContinuousClock.now
            if now - start >= maximumWait || now - lastMove >= stallLimit {
                logger.debug("the system did not catch up with the market; the replay goes on", metadata: [
                    "bars": "\(closed.map { "\($0.key)@\($0.value)" }.sorted().joined(separator: ","))"])
                return record(now - start, false)
            }
            do { try await Task.sleep(for: configuration.poll) } catch { return }
            let next = await self.standing(closed)
            if next.caughtUp { return record(ContinuousClock.now - start, true) }
            if next.progress != standing.progress { lastMove = ContinuousClock.now }
            standing = next
        }
    }

    /// Returns once the system's position records agree with the exchange's positions (symbol → signed quantity, zero
    /// when flat) after the exchange moved them by itself, or the wait limits passed.
    ///
    /// A stop that fired on a tick is then settled before the system sees the bar that tick closes, whatever the
    /// scheduling: without it, a signal on that bar found the stopped position still recorded at one run and gone at
    /// another.
    public func awaitSettled(_ positions: [Symbol: Quantity], in store: any StateStore) async {
        let start = ContinuousClock.now
        while !Task.isCancelled {
            var settled = true
            for (symbol, quantity) in positions where !(await Self.records(quantity, of: symbol, in: store)) {
                settled = false
                break
            }
            if settled { return }
            if ContinuousClock.now - start >= configuration.settleWait {
                logger.warning("a fill the exchange made was not settled in time; the replay goes on", metadata: [
                    "symbols": "\(positions.keys.map(\.rawValue).sorted().joined(separator: ","))"])
                return
            }
            do { try await Task.sleep(for: configuration.poll) } catch { return }
        }
    }

    /// Whether `symbol`'s position record says `quantity` (signed; zero: no record). An unreadable record does not.
    static func records(_ quantity: Quantity, of symbol: Symbol, in store: any StateStore) async -> Bool {
        guard let fields = try? await store.fields(StateKey.position(symbol)) else { return false }
        if fields.isEmpty { return quantity.isZero }
        guard let record = try? PositionRecord.decode(fields) else { return false }
        return record.direction == .long ? record.quantity == quantity : (try? Quantity.zero - record.quantity) == quantity
    }

    /// Whether every closed bar went through every stage that runs here (`MarketWatermarks`) and nothing they caused is
    /// waiting, with a figure that changes whenever the system moves (bars handled, entries delivered or acknowledged).
    ///
    /// The consumer groups are read only once every bar is through every stage: until then the market cannot move
    /// anyway, and reading them on every poll cost a core's worth of reads while hundreds of symbols were worked on.
    func standing(_ closed: [Symbol: EpochMillis]) async -> (caughtUp: Bool, progress: [Int]) {
        let marks = watermarks.standing(closed)
        guard marks.reached else { return (false, [marks.progress]) }
        var caughtUp = true
        var progress = [marks.progress]
        for (stream, group) in Self.pipeline {
            // A group that does not exist yet (its service is starting) has nothing waiting for it.
            guard let info = try? await log.groups(stream).first(where: { $0.name == group }) else { continue }
            if info.lag > 0 || info.pending > 0 { caughtUp = false }
            progress += [info.lag, info.pending, Int(truncatingIfNeeded: info.lastDeliveredID.milliseconds), Int(info.lastDeliveredID.sequence)]
        }
        return (caughtUp, progress)
    }
}
