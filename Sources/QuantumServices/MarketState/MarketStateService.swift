import Logging
import QuantumBus
import QuantumCore
import QuantumVenue
import ServiceLifecycle

/// The market-state service: bars and mark prices from the venue → regime state per symbol.
///
/// Prices come from the execution venue itself (FM-22: never another venue's ticker). Every closed
/// bar is published on `marketstate` with the state computed at it; the latest state and price are
/// kept in `quantum:marketstate:{SYMBOL}` with their time, which the bridge and the risk guard
/// check for freshness (invariant 7). After a stream reconnect the missed bars are backfilled over REST.
public struct MarketStateService: Service {
    public struct Configuration: Hashable, Sendable {
        public var interval: KlineInterval = .oneMinute
        /// Bars fetched at start so strategies have history at once.
        public var backfill = 200
        /// Symbols backfilled side by side (their writes share group commits).
        public var backfillWidth = 32
        /// The mark price is written to the state at most this often per symbol.
        public var priceWriteInterval: Duration = .seconds(10)
        public var estimator = MarketStateEstimator.Configuration()
        public var heartbeatInterval: Duration = .seconds(1)

        public init() {}
    }

    public let venue: any Venue
    public let log: any EventLog
    public let store: any StateStore
    public let clock: any EpochClock
    public let symbols: [Symbol]
    public let configuration: Configuration
    public let logger: Logger
    public let progress: ServiceProgress
    /// Where applied bars are reported (a paced replay waits on them); nil when nothing paces the market.
    public var watermarks: MarketWatermarks?

    public init(venue: any Venue, log: any EventLog, store: any StateStore, clock: any EpochClock, symbols: [Symbol],
                configuration: Configuration = Configuration(), logger: Logger) {
        self.venue = venue
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
        let heartbeat = HeartbeatEmitter(service: .marketState, interval: configuration.heartbeatInterval, bus: bus, clock: clock,
                                         progress: progress, logger: logger)
        let tracker = MarketTracker(symbols: symbols, configuration: configuration)
        try await backfillAll(tracker: tracker, bus: bus, limit: configuration.backfill)
        progress.setStatus(.running)
        let subscriptions = symbols.flatMap { [MarketSubscription.kline($0, configuration.interval), .markPrice($0)] }
        try await runParts { group in
            group.addTask { await heartbeat.run() }
            group.addTask {
                // Each symbol's closed bars are applied in order in a lane of its own, and the lanes run side by side:
                // the writes of a minute's closes across hundreds of symbols share group commits instead of queueing.
                try await withThrowingDiscardingTaskGroup { lanes in
                    var open: [Symbol: AsyncStream<MarketEvent>.Continuation] = [:]
                    for symbol in self.symbols {
                        let (events, lane) = AsyncStream.makeStream(of: MarketEvent.self)
                        open[symbol] = lane
                        lanes.addTask { for await event in events { await self.apply(event, tracker: tracker, bus: bus) } }
                    }
                    let routes = open
                    defer { for lane in routes.values { lane.finish() } }
                    try await self.venue.runMarketStreams(subscriptions) { event in
                        // Only closed bars go to the lanes (the writes that come all at once at the minute); every
                        // other event is cheap or rare and is applied here, without a hop to another task.
                        if case .kline(let update) = event, update.isClosed, let lane = routes[update.symbol] {
                            // The bar's close is this interval's price write: a mark price right behind it (the next
                            // bar's first tick) must not race the lane's write of the close and win at one run, lose at
                            // another. The price the bar's intents are sized at is then always the close.
                            await tracker.notePriceWrite(update.symbol, at: self.clock.now())
                            lane.yield(event)
                        } else {
                            await self.apply(event, tracker: tracker, bus: bus)
                        }
                    }
                }
            }
        }
    }

    private func apply(_ event: MarketEvent, tracker: MarketTracker, bus: MessageBus) async {
        do { try await handle(event, tracker: tracker, bus: bus) } catch {
            logger.error("market event not applied", metadata: ["error": "\(error)"])
        }
    }

    private func handle(_ event: MarketEvent, tracker: MarketTracker, bus: MessageBus) async throws {
        switch event {
        case .kline(let update) where update.isClosed:
            // A bar the stream skipped (it closed before the stream was up, or during a drop) is fetched before the
            // next one is applied: the bars on `marketstate` stay complete and in order, which the strategies' windows need.
            let missing = await tracker.missingBars(before: update, interval: configuration.interval)
            if missing > 0 { try await backfill(update.symbol, tracker: tracker, bus: bus, limit: min(missing + 10, 1_500)) }
            try await close(update, tracker: tracker, bus: bus)
            watermarks?.advance(.marketState, update.symbol, to: update.closeTime)
        case .markPrice(let update):
            let now = clock.now()
            if await tracker.shouldWritePrice(update.symbol, at: now) {
                try await store.setFields(StateKey.marketState(update.symbol), MarketStateHash(price: update.markPrice, asOf: now).fields)
            }
            progress.idle(at: now)
        case .reconnected:
            try await backfillAll(tracker: tracker, bus: bus, limit: 60)
        case .kline, .bookTicker, .aggTrade:
            break
        }
    }

    /// Backfills every symbol, `Configuration.backfillWidth` at a time: with hundreds of symbols, one after another
    /// would keep the start waiting on a request and its writes per symbol.
    private func backfillAll(tracker: MarketTracker, bus: MessageBus, limit: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var queued = symbols.makeIterator()
            for _ in 0..<max(1, configuration.backfillWidth) {
                guard let symbol = queued.next() else { break }
                group.addTask { try await self.backfill(symbol, tracker: tracker, bus: bus, limit: limit) }
            }
            while try await group.next() != nil {
                guard !Task.isCancelled, let symbol = queued.next() else { continue }
                group.addTask { try await self.backfill(symbol, tracker: tracker, bus: bus, limit: limit) }
            }
        }
    }

    private func backfill(_ symbol: Symbol, tracker: MarketTracker, bus: MessageBus, limit: Int) async throws {
        do {
            let bars = try await venue.klines(symbol: symbol, interval: configuration.interval, limit: limit).filter(\.isClosed)
            for (index, bar) in bars.enumerated() {
                // Each bar is published; the symbol's state hash, which each would overwrite, is written for the last.
                try await close(bar, tracker: tracker, bus: bus, writeState: index == bars.count - 1)
                watermarks?.advance(.marketState, bar.symbol, to: bar.closeTime)
            }
        } catch {
            // A shutdown during the start-up backfill is not a failure worth a warning per symbol.
            if Task.isCancelled { return }
            logger.warning("kline backfill failed; bars come from the stream", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
        }
    }

    /// A closed bar: update the estimator, publish the bar with its state, refresh the symbol's state hash.
    private func close(_ bar: KlineUpdate, tracker: MarketTracker, bus: MessageBus, writeState: Bool = true) async throws {
        guard let state = await tracker.close(bar) else { return }
        let now = clock.now()
        var fields: [String: String] = [
            "symbol": bar.symbol.rawValue,
            "interval": bar.interval.rawValue, "open_time": String(bar.openTime.rawValue), "close_time": String(bar.closeTime.rawValue),
            "open": bar.open.description, "high": bar.high.description, "low": bar.low.description, "close": bar.close.description,
            "volume": bar.volume.description,
        ]
        if let state = state.state { fields.merge(MarketStateHash.fields(of: state)) { $1 } }
        try await bus.publish(fields: BusEvent(.marketState, at: now, fields).fields, to: StreamName.marketState)
        if writeState {
            let hash = MarketStateHash(price: bar.close, asOf: now, barCloseTime: bar.closeTime, state: state.state)
            try await store.setFields(StateKey.marketState(bar.symbol), hash.fields)
        }
        progress.processed(at: now)
    }
}

/// Per-symbol estimators and the last bar seen, so a bar is applied once even when the stream and a backfill both carry it.
actor MarketTracker {
    private var estimators: [Symbol: MarketStateEstimator] = [:]
    private var lastOpen: [Symbol: EpochMillis] = [:]
    private var lastPriceWrite: [Symbol: EpochMillis] = [:]
    private let priceWriteInterval: Duration

    /// The outcome of a new bar: the state once the estimator is warm.
    struct Closed: Sendable {
        var state: MarketState?
    }

    init(symbols: [Symbol], configuration: MarketStateService.Configuration) {
        for symbol in symbols { estimators[symbol] = MarketStateEstimator(configuration: configuration.estimator) }
        priceWriteInterval = configuration.priceWriteInterval
    }

    /// Applies a closed bar; `nil` if it was already applied (or is older than the last one).
    func close(_ bar: KlineUpdate) -> Closed? {
        if let last = lastOpen[bar.symbol], bar.openTime <= last { return nil }
        guard var estimator = estimators[bar.symbol] else { return nil }
        lastOpen[bar.symbol] = bar.openTime
        let state = estimator.update(close: bar.close)
        estimators[bar.symbol] = estimator
        return Closed(state: state)
    }

    /// Bars between the last one applied and `bar` that were never applied (0 before the first bar).
    func missingBars(before bar: KlineUpdate, interval: KlineInterval) -> Int {
        guard let last = lastOpen[bar.symbol], bar.openTime > last else { return 0 }
        return Int((bar.openTime.rawValue - last.rawValue) / interval.milliseconds) - 1
    }

    /// A write of `symbol`'s price at `now` is on its way (a bar's close): the next mark price waits its interval.
    func notePriceWrite(_ symbol: Symbol, at now: EpochMillis) {
        lastPriceWrite[symbol] = now
    }

    func shouldWritePrice(_ symbol: Symbol, at now: EpochMillis) -> Bool {
        if let last = lastPriceWrite[symbol], now.duration(since: last) < priceWriteInterval { return false }
        lastPriceWrite[symbol] = now
        return true
    }
}
