import Logging
import QuantumBus
import QuantumCore
import QuantumVenue
import ServiceLifecycle

/// The harvest service: the R ladder and stop tightening for every open position → `REDUCE` / `MOVE_STOP` intents.
///
/// Runs on each new bar and at least every `interval`. Rungs come from the executor's position
/// record, so a tranche is taken once per epoch across restarts (FM-32); what was sent but not yet
/// recorded is remembered (`HarvestMemory`) so a rung is neither repeated nor followed by the next
/// one off a size about to shrink. Bad records are logged and skipped (invariant 8).
public struct HarvestService: Service {
    public struct Configuration: Hashable, Sendable {
        public var harvest: Harvest.Configuration
        /// Positions are judged at least this often, and on every new bar.
        public var interval: Duration = .seconds(5)
        public var heartbeatInterval: Duration = .seconds(1)
        /// A rung or stop not yet recorded by the executor is sent again only after this long.
        public var resendAfter: Duration = .seconds(30)
        /// A mark price older than this means no decision (invariant 7).
        public var marketStateMaxAge: Duration = .seconds(180)

        public init(harvest: Harvest.Configuration = Harvest.Configuration()) {
            self.harvest = harvest
        }

        /// Problems with the configuration, empty if it is usable.
        public func validate() -> [String] {
            var problems = harvest.validate()
            if interval <= .zero { problems.append("harvest interval must be positive") }
            if heartbeatInterval <= .zero { problems.append("harvest heartbeat interval must be positive") }
            if resendAfter < .zero { problems.append("harvest resend_after must not be negative") }
            if marketStateMaxAge <= .zero { problems.append("harvest market_state_max_age must be positive") }
            return problems
        }
    }

    /// The consumer group this service reads `marketstate` with.
    public static let consumerGroup = GroupName.harvest

    public let log: any EventLog
    public let store: any StateStore
    public let clock: any EpochClock
    public let symbols: [Symbol]
    /// The symbols' trading rules, read once at start.
    public let rules: @Sendable () async throws -> [Symbol: SymbolRules]
    public let configuration: Configuration
    public let logger: Logger
    public let progress: ServiceProgress
    /// Where judged bars are reported (a paced replay waits on them); nil when nothing paces the market.
    public var watermarks: MarketWatermarks?

    public init(log: any EventLog, store: any StateStore, clock: any EpochClock, symbols: [Symbol],
                rules: @escaping @Sendable () async throws -> [Symbol: SymbolRules], configuration: Configuration = Configuration(),
                logger: Logger) {
        self.log = log
        self.store = store
        self.clock = clock
        self.symbols = symbols
        self.rules = rules
        self.configuration = configuration
        self.logger = logger
        self.progress = ServiceProgress(now: clock.now())
    }

    /// A service with rules known up front.
    public init(log: any EventLog, store: any StateStore, clock: any EpochClock, symbols: [Symbol], rules: [Symbol: SymbolRules],
                configuration: Configuration = Configuration(), logger: Logger) {
        self.init(log: log, store: store, clock: clock, symbols: symbols, rules: { rules }, configuration: configuration, logger: logger)
    }

    /// A service that reads the rules from the venue's `exchangeInfo` at start.
    public init(venue: any Venue, log: any EventLog, store: any StateStore, clock: any EpochClock, symbols: [Symbol],
                configuration: Configuration = Configuration(), logger: Logger) {
        self.init(log: log, store: store, clock: clock, symbols: symbols, rules: { try await venue.symbolRules() },
                  configuration: configuration, logger: logger)
    }

    public func run() async throws {
        let bus = MessageBus(log: log)
        // Before the first append: what this service publishes while its consumer starts must not be skipped.
        try await bus.prepareConsumers(of: StreamName.exitIntent)
        let heartbeat = HeartbeatEmitter(service: .harvest, interval: configuration.heartbeatInterval, bus: bus, clock: clock,
                                         progress: progress, logger: logger)
        let rules = try await self.rules()
        let cadence = ExitCadence(log: log, group: Self.consumerGroup, consumer: "harvest-1", interval: configuration.interval)
        var bars = try await cadence.prepare(recent: 4 * symbols.count)
        let reader = ExitInputReader(store: store, maxAge: configuration.marketStateMaxAge, logger: logger)
        let harvest = Harvest(configuration: configuration.harvest)
        progress.setStatus(.running)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await heartbeat.run() }
            var memory = HarvestMemory(resendAfter: configuration.resendAfter)
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                try await evaluate(harvest: harvest, rules: rules, reader: reader, bus: bus, memory: &memory)
                ExitCadence.judged(bars, .harvest, on: watermarks)
                bars = try await untilGracefulShutdown { try await cadence.next() }
                progress.setLag(try? await cadence.lag())
            }
            group.cancelAll()
        }
    }

    /// One pass over the symbols: decide for each open position and publish what was not sent recently.
    private func evaluate(harvest: Harvest, rules: [Symbol: SymbolRules], reader: ExitInputReader, bus: MessageBus,
                          memory: inout HarvestMemory) async throws {
        let now = clock.now()
        var evaluated = 0
        for symbol in try await reader.held(among: symbols) {
            guard let inputs = try await reader.read(symbol, now: now) else { continue }
            guard let symbolRules = rules[symbol] else {
                logger.warning("no trading rules for the symbol; no harvest", metadata: ["symbol": "\(symbol)"])
                continue
            }
            let position = inputs.position
            memory.observe(position)
            let actions: [Harvest.Action]
            do throws(MoneyError) {
                actions = try harvest.decide(position: memory.effective(position, now: now), mark: inputs.mark, rules: symbolRules)
            } catch {
                logger.error("harvest arithmetic out of range; skipped", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
                continue
            }
            evaluated += 1
            for action in actions {
                try await perform(action, position: position, bus: bus, memory: &memory, now: now)
            }
        }
        if evaluated > 0 { progress.processed(evaluated, at: now) } else { progress.idle(at: now) }
    }

    /// Publishes one action as an exit intent (or only remembers it).
    private func perform(_ action: Harvest.Action, position: PositionRecord, bus: MessageBus, memory: inout HarvestMemory,
                         now: EpochMillis) async throws {
        let symbol = position.symbol
        let base = "\(symbol.rawValue):e\(position.epoch)"
        switch action {
        case .reduce(let rung, let quantity, let r):
            // The next rung waits for the previous one to land, so it is sized off the reduced position.
            guard !memory.rungInFlight(position, now: now) else { return }
            let intent = ExitIntent(intentID: "harvest:rung:\(base):r\(rung)", symbol: symbol, action: .reduce, epoch: position.epoch,
                                    reason: .ladderRung, source: .harvest, quantity: quantity, rung: rung, rMultiple: r, createdAt: now)
            try await bus.publish(intent, to: StreamName.exitIntent)
            memory.rungSent(rung, for: position, at: now)
            logger.info("rung proposed", metadata: [
                "symbol": "\(symbol)", "epoch": "\(position.epoch)", "rung": "\(rung)", "quantity": "\(quantity)", "r": "\(r)"])
        case .markTaken(let rungs):
            memory.rungsMarked(rungs, for: position)
            logger.info("rung reached but rounds to nothing", metadata: [
                "symbol": "\(symbol)", "epoch": "\(position.epoch)", "rungs": "\(rungs.map(String.init).joined(separator: ","))"])
        case .moveStop(let price, let reason, let r):
            let intent = ExitIntent(intentID: "harvest:stop:\(base):\(price)", symbol: symbol, action: .moveStop, epoch: position.epoch,
                                    reason: reason, source: .harvest, newStop: price, rMultiple: r, createdAt: now)
            try await bus.publish(intent, to: StreamName.exitIntent)
            memory.stopSent(price, for: position, at: now)
            logger.info("stop move proposed", metadata: [
                "symbol": "\(symbol)", "epoch": "\(position.epoch)", "stop": "\(price)", "reason": "\(reason.rawValue)", "r": "\(r)"])
        }
    }
}
