import QuantumCore

/// The simulated exchange driven by a market feed: prices, funding settlements and klines.
///
/// One kernel for every use: the HTTP server paces it on a wall clock, backtests step it as fast
/// as the CPU allows (`InProcessVenue`), tests step it tick by tick. Pure value type, no clock.
public struct PaperExchange: Sendable {
    /// The matching engine and accounts.
    public var engine: SimulatedExchange
    /// Funding rates per settlement.
    public var funding: FundingSchedule
    /// 1-minute klines built from the ticks (served by `klines` and `@kline_1m`).
    public private(set) var klines: KlineAggregator
    /// The latest tick of each symbol.
    public private(set) var lastTicks: [Symbol: MarketTick] = [:]
    /// The time of the latest tick applied (or the start time).
    public private(set) var time: EpochMillis
    /// The next funding settlement.
    public private(set) var nextFundingTime: EpochMillis
    /// Settlements made so far, for tests and reports.
    public private(set) var settlements: [FundingSettlement] = []

    /// What one tick changed, for the streams.
    public struct TickOutcome: Sendable {
        public var tick: MarketTick
        /// Bars this tick closed (the previous bar of its symbol).
        public var closedKlines: [Kline]
        /// The forming bar after the tick.
        public var formingKline: Kline?
        /// Funding settlements made before the tick was applied.
        public var settlements: [FundingSettlement]
    }

    /// One funding settlement of a symbol.
    public struct FundingSettlement: Hashable, Sendable {
        public var symbol: Symbol
        public var rate: Ratio
        public var time: EpochMillis
    }

    public init(engine: SimulatedExchange, funding: FundingSchedule = FundingSchedule(), start: EpochMillis) {
        self.engine = engine
        self.funding = funding
        self.klines = KlineAggregator(interval: .oneMinute)
        self.time = start
        self.nextFundingTime = FundingSchedule.nextSettlement(after: start)
    }

    /// Applies a tick: settles funding first if the tick is past a settlement, then moves the market
    /// (fills, triggers, liquidations) and folds the tick into the klines. Ticks older than the
    /// latest are ignored (`nil`): a feed never goes back in time.
    public mutating func apply(_ tick: MarketTick) -> TickOutcome? {
        guard tick.time >= time, engine.rules[tick.symbol] != nil else { return nil }
        var settled: [FundingSettlement] = []
        while tick.time >= nextFundingTime {
            for symbol in engine.markets.keys.sorted() {
                let rate = funding.rate(symbol, at: nextFundingTime)
                engine.applyFunding(symbol, rate: rate, time: nextFundingTime)
                settled.append(FundingSettlement(symbol: symbol, rate: rate, time: nextFundingTime))
            }
            nextFundingTime = EpochMillis(nextFundingTime.rawValue + FundingSchedule.interval)
        }
        settlements += settled
        time = tick.time
        engine.updateMarket(tick.symbol, last: tick.lastPrice, mark: tick.markPrice, time: tick.time)
        lastTicks[tick.symbol] = tick
        var closed: [Kline] = []
        if let bar = try? klines.add(tick) { closed.append(bar) }
        return TickOutcome(tick: tick, closedKlines: closed, formingKline: klines.current(tick.symbol), settlements: settled)
    }

    /// The funding rate the next settlement of a symbol will use (premiumIndex `lastFundingRate`, markPrice `r`).
    public func predictedFundingRate(_ symbol: Symbol) -> Ratio {
        funding.rate(symbol, at: nextFundingTime)
    }
}
