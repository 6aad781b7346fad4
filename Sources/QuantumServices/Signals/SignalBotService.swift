import Logging
import QuantumBus
import QuantumCore
import ServiceLifecycle

/// The signal-bot service: every cadence, strategies over each symbol's closed bars → `trade.intent`.
///
/// Bars are read from the `marketstate` stream (the market-state service's output), not from any
/// other venue (FM-22). The service keeps no state that matters: a restart rebuilds the bars from
/// the stream's recent entries.
public struct SignalBotService: Service {
    public struct Configuration: Sendable {
        /// How often strategies run (the original's 60 s).
        public var cadence: Duration = .seconds(60)
        public var bot: SignalBot.Configuration
        /// Bars older than this at decision time mean no signal (a stalled feed must not trade, invariant 7).
        public var maxBarAge: Duration = .seconds(180)
        public var heartbeatInterval: Duration = .seconds(1)

        public init(bot: SignalBot.Configuration) {
            self.bot = bot
        }
    }

    public let log: any EventLog
    public let clock: any EpochClock
    public let symbols: [Symbol]
    public let configuration: Configuration
    public let logger: Logger
    public let progress: ServiceProgress
    /// Where evaluated bars are reported (a paced replay waits on them); nil when nothing paces the market.
    public var watermarks: MarketWatermarks?
    /// Holds the first bar's evaluation until the exit path is judged healthy (when the health monitor runs beside it).
    public var exitPathReadiness: ExitPathReadiness?

    public init(log: any EventLog, clock: any EpochClock, symbols: [Symbol], configuration: Configuration, logger: Logger) {
        self.log = log
        self.clock = clock
        self.symbols = symbols
        self.configuration = configuration
        self.logger = logger
        self.progress = ServiceProgress(now: clock.now())
    }

    public func run() async throws {
        let bus = MessageBus(log: log)
        // Before the first append: what this service publishes while its consumer starts must not be skipped.
        try await bus.prepareConsumers(of: StreamName.tradeIntent)
        let heartbeat = HeartbeatEmitter(service: .signalBot, interval: configuration.heartbeatInterval, bus: bus, clock: clock,
                                         progress: progress, logger: logger)
        let bot = SignalBot(configuration: configuration.bot)
        var history = BarHistory(capacity: max(bot.barsNeeded, 1) + 10)
        // New bars wake the bot through its own group on the stream; the cadence bounds the wait when none come.
        try await log.createGroup(StreamName.marketState, group: GroupName.signalBot, start: .tail)
        let pending = try await log.pending(StreamName.marketState, group: GroupName.signalBot).map(\.id)
        if !pending.isEmpty { try await log.acknowledge(StreamName.marketState, group: GroupName.signalBot, ids: pending) }
        // Rebuild from the stream's recent bars (a previous run's unacknowledged entries are among them).
        let recent = try await log.reverseRange(StreamName.marketState, from: .max, to: .zero, count: history.capacity * max(symbols.count, 1))
        for entry in recent.reversed() { history.add(entry.fields) }
        var evaluated: [Symbol: EpochMillis] = [:]
        progress.setStatus(.running)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await heartbeat.run() }
            try await untilGracefulShutdown { try await exitPathReadiness?.awaitHealthy() }
            while !Task.isCancelled {
                try await cycle(bot: bot, history: history, evaluated: &evaluated, bus: bus)
                let fresh = try await untilGracefulShutdown {
                    try await log.readNew(StreamName.marketState, group: GroupName.signalBot, consumer: "signal-bot-1", count: 10_000,
                                          wait: configuration.cadence)
                }
                if Task.isShuttingDownGracefully || Task.isCancelled { break }
                for delivery in fresh { history.add(delivery.entry.fields) }
                if !fresh.isEmpty {
                    try await log.acknowledge(StreamName.marketState, group: GroupName.signalBot, ids: fresh.map(\.entry.id))
                }
            }
            group.cancelAll()
        }
    }

    /// One pass over the symbols: each bar not yet evaluated is, once (a bar older than `maxBarAge` gives no signal).
    private func cycle(bot: SignalBot, history: BarHistory, evaluated: inout [Symbol: EpochMillis], bus: MessageBus) async throws {
        let now = clock.now()
        for symbol in symbols {
            let bars = history.bars(symbol)
            guard let last = bars.last, evaluated[symbol].map({ $0 < last.closeTime }) ?? true else { continue }
            evaluated[symbol] = last.closeTime
            defer { watermarks?.advance(.signals, symbol, to: last.closeTime) }
            guard now.duration(since: last.closeTime) <= configuration.maxBarAge else { continue }
            guard let signal = bot.signal(for: bars) else { continue }
            let intent = TradeIntent(
                intentID: "\(signal.strategy):\(symbol.rawValue):\(last.closeTime.rawValue)", symbol: symbol, direction: signal.direction,
                confidence: signal.confidence, strategy: signal.strategy, source: .signalBot, referencePrice: signal.referencePrice,
                stopLoss: signal.stopLoss, takeProfit: signal.takeProfit, createdAt: now)
            try await bus.publish(intent, to: StreamName.tradeIntent)
            logger.info("signal", metadata: [
                "symbol": "\(symbol)", "direction": "\(signal.direction.rawValue)", "strategy": "\(signal.strategy)",
                "confidence": "\(signal.confidence)", "fallback": "\(signal.isFallback)", "why": "\(signal.rationale)"])
        }
        progress.processed(at: now)
    }
}

/// The last `capacity` closed bars of each symbol, from `marketstate` entries.
struct BarHistory: Sendable {
    let capacity: Int
    private var bars: [Symbol: [Bar]] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Adds a bar from a `marketstate` entry; entries that do not decode, or repeat a bar, are skipped.
    mutating func add(_ fields: [String: String]) {
        let r = FieldReader(fields)
        guard let symbol = try? r.symbol(), let open = try? r.time("open_time"), let close = try? r.time("close_time"),
              let o = try? r.positiveDecimal("open", as: Price.self), let h = try? r.positiveDecimal("high", as: Price.self),
              let l = try? r.positiveDecimal("low", as: Price.self), let c = try? r.positiveDecimal("close", as: Price.self) else { return }
        let volume = (try? r.decimal("volume", as: Quantity.self)) ?? .zero
        var list = bars[symbol, default: []]
        if let last = list.last, last.openTime >= open { return }
        list.append(Bar(openTime: open, closeTime: close, open: o, high: h, low: l, close: c, volume: volume))
        if list.count > capacity { list.removeFirst(list.count - capacity) }
        bars[symbol] = list
    }

    func bars(_ symbol: Symbol) -> [Bar] { bars[symbol] ?? [] }
}
