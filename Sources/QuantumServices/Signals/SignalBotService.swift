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
        let heartbeat = HeartbeatEmitter(service: .signalBot, interval: configuration.heartbeatInterval, bus: bus, clock: clock,
                                         progress: progress, logger: logger)
        let bot = SignalBot(configuration: configuration.bot)
        var history = BarHistory(capacity: max(bot.barsNeeded, 1) + 10)
        // Rebuild from the stream's recent bars.
        let recent = try await log.reverseRange(StreamName.marketState, from: .max, to: .zero, count: history.capacity * max(symbols.count, 1))
        var cursor = recent.first?.id ?? .zero
        for entry in recent.reversed() { history.add(entry.fields) }
        progress.setStatus(.running)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await heartbeat.run() }
            while !Task.isCancelled {
                let fresh = try await log.range(StreamName.marketState, from: cursor.successor, to: .max, count: 100_000)
                for entry in fresh { history.add(entry.fields) }
                if let last = fresh.last { cursor = last.id }
                try await cycle(bot: bot, history: history, bus: bus)
                do { try await cancelWhenGracefulShutdown { try await clock.sleep(for: configuration.cadence) } } catch { break }
            }
            group.cancelAll()
        }
    }

    /// One pass over the symbols.
    private func cycle(bot: SignalBot, history: BarHistory, bus: MessageBus) async throws {
        let now = clock.now()
        for symbol in symbols {
            let bars = history.bars(symbol)
            guard let last = bars.last, now.duration(since: last.closeTime) <= configuration.maxBarAge else { continue }
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
