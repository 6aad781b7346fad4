import Logging
import QuantumBus
import QuantumCore
import ServiceLifecycle

/// The exit-brain service: judges every open position on each new bar and at least every `interval` → `CLOSE` intents.
///
/// Reads the executor's position mirror and the market-state hash; writes nothing but exit intents
/// (invariant 1). A close is sent once per (symbol, epoch) within `resendAfter`: the executor makes
/// repeats harmless by plan identity, this only keeps the bus quiet. Bad records are logged and
/// skipped, so one malformed position never silences the exits of the others (invariant 8).
public struct ExitBrainService: Service {
    public struct Configuration: Hashable, Sendable {
        public var brain: ExitBrain.Configuration
        /// Positions are judged at least this often, and on every new bar.
        public var interval: Duration = .seconds(5)
        public var heartbeatInterval: Duration = .seconds(1)
        /// A close of the same position is not sent again within this window.
        public var resendAfter: Duration = .seconds(30)

        public init(brain: ExitBrain.Configuration = ExitBrain.Configuration()) {
            self.brain = brain
        }

        /// Problems with the configuration, empty if it is usable.
        public func validate() -> [String] {
            var problems = brain.validate()
            if interval <= .zero { problems.append("exit-brain interval must be positive") }
            if heartbeatInterval <= .zero { problems.append("exit-brain heartbeat interval must be positive") }
            if resendAfter < .zero { problems.append("exit-brain resend_after must not be negative") }
            return problems
        }
    }

    /// The consumer group this service reads `marketstate` with.
    public static let consumerGroup = GroupName.exitBrain

    public let log: any EventLog
    public let store: any StateStore
    public let clock: any EpochClock
    public let symbols: [Symbol]
    public let configuration: Configuration
    public let logger: Logger
    public let progress: ServiceProgress
    /// Where judged bars are reported (a paced replay waits on them); nil when nothing paces the market.
    public var watermarks: MarketWatermarks?

    public init(log: any EventLog, store: any StateStore, clock: any EpochClock, symbols: [Symbol], configuration: Configuration,
                logger: Logger) {
        self.log = log
        self.store = store
        self.clock = clock
        self.symbols = symbols
        self.configuration = configuration
        self.logger = logger
        self.progress = ServiceProgress(now: clock.now())
    }

    public func run() async throws {
        let bus = MessageBus(log: log)
        // Before the first append: what this service publishes while its consumer starts must not be skipped.
        try await bus.prepareConsumers(of: StreamName.exitIntent)
        let heartbeat = HeartbeatEmitter(service: .exitBrain, interval: configuration.heartbeatInterval, bus: bus, clock: clock,
                                         progress: progress, logger: logger)
        let cadence = ExitCadence(log: log, group: Self.consumerGroup, consumer: "exit-brain-1", interval: configuration.interval)
        var bars = try await cadence.prepare(recent: 4 * symbols.count)
        let reader = ExitInputReader(store: store, maxAge: configuration.brain.marketStateMaxAge, logger: logger)
        let brain = ExitBrain(configuration: configuration.brain)
        progress.setStatus(.running)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await heartbeat.run() }
            var sent = RecentSends<String>(window: configuration.resendAfter)
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                try await evaluate(brain: brain, reader: reader, bus: bus, sent: &sent, bars: bars)
                ExitCadence.judged(bars, .exits, on: watermarks)
                bars = try await untilGracefulShutdown { try await cadence.next() }
                progress.setLag(try? await cadence.lag())
            }
            group.cancelAll()
        }
    }

    /// One pass over the symbols: judge each open position (with the close of its bar, when a closed bar woke the pass),
    /// publish the closes not sent recently.
    private func evaluate(brain: ExitBrain, reader: ExitInputReader, bus: MessageBus, sent: inout RecentSends<String>,
                          bars: [Symbol: ExitCadence.SeenBar]) async throws {
        let now = clock.now()
        sent.prune(now: now)
        var evaluated = 0
        for symbol in try await reader.held(among: symbols) {
            guard let inputs = try await reader.read(symbol, now: now) else { continue }
            evaluated += 1
            let position = inputs.position
            let decision = brain.decide(position: position, mark: inputs.mark, state: inputs.state, now: now, barClose: bars[symbol]?.close)
            guard case .close(let reason, let assessment) = decision else { continue }
            let intentID = "exit-brain:close:\(symbol.rawValue):e\(position.epoch)"
            if sent.contains(intentID, now: now) { continue }
            let intent = ExitIntent(
                intentID: intentID, symbol: symbol, action: .close, epoch: position.epoch, reason: reason, source: .exitBrain,
                rMultiple: assessment.r, killScore: assessment.kill?.audit, createdAt: now)
            try await bus.publish(intent, to: StreamName.exitIntent)
            sent.record(intentID, at: now)
            logger.info("close proposed", metadata: [
                "symbol": "\(symbol)", "epoch": "\(position.epoch)", "reason": "\(reason.rawValue)",
                "r": "\(assessment.r.map { String($0) } ?? "n/a")", "kill_score": "\(assessment.kill.map { String($0.score) } ?? "n/a")",
                "why": "\(assessment.reasons.joined(separator: ","))"])
        }
        if evaluated > 0 { progress.processed(evaluated, at: now) } else { progress.idle(at: now) }
    }
}
