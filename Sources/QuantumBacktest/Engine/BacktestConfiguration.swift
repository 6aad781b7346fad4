import QuantumCore

/// Everything a backtest run needs besides the bars: markets, strategy, account and sizing.
public struct BacktestConfiguration: Hashable, Sendable {
    /// A symbol's trading steps.
    public struct Market: Hashable, Sendable {
        public var symbol: Symbol
        /// Quantity step (LOT_SIZE stepSize).
        public var stepSize: Quantity
        /// Price tick (PRICE_FILTER tickSize).
        public var tickSize: Price

        public init(symbol: Symbol, stepSize: Quantity, tickSize: Price) {
            self.symbol = symbol
            self.stepSize = stepSize
            self.tickSize = tickSize
        }
    }

    /// The symbols traded, each independently.
    public var markets: [Market]
    /// The bar interval of the data.
    public var interval: KlineInterval = .oneMinute
    /// The signal kernel's parameters.
    public var strategy = EMACross.Configuration()
    /// Starting wallet balance in USDT.
    public var balance = Notional(units: 1_000_000 * Notional.one)
    public var leverage = Leverage(rawValue: 10)!
    /// Commission per fill, as a fraction of its notional (0.0005 = 0.05 %).
    public var feeRate = Ratio(units: 50_000)
    /// Notional of each entry in USDT; the quantity is this ÷ price, rounded half up to the step.
    public var notionalPerTrade = Notional(units: 1_000 * Notional.one)
    /// Which bars of the data to use.
    public var window = BacktestData.Window()
    /// What to do about missing bars.
    public var gaps = BacktestData.GapPolicy.error
    /// Where a touched stop or target fills (with `Fills.close`).
    public var protectiveFill = ProtectiveFill.level
    /// How decisions become fills: at the deciding bar's close, or as the paper exchange fills a live replay.
    public var fills = Fills.close
    /// Half the book's spread in ticks, with `Fills.venue` (the paper exchange's `halfSpreadTicks`).
    public var halfSpreadTicks: Int64 = 1
    /// Funding rate of every 8-hourly settlement, with `Fills.venue` (QT-EMA has none; the paper exchange's replays
    /// charge Binance's base 0.01 %).
    public var fundingRate = Ratio.zero
    /// Whether an opposite cross closes an open position (otherwise it is passed over, and the position waits for
    /// its stop or target).
    public var exitOnCross = true

    /// How the backtest turns decisions into fills.
    public enum Fills: String, Hashable, Sendable, CaseIterable {
        /// At the deciding bar's close; a stop or target at its level when a later bar touches it (`ProtectiveFill`).
        /// The QT-EMA workload's rules.
        case close
        /// On the paper exchange's engine in process, as it fills a live replay of the same bars (`VenueBacktest`): a
        /// decision at a bar's close fills at the next bar's open, across the spread; the stop is on the exchange and
        /// fires at the first point of the bar's path (`IntraBarPath`: open, then low and high in the bar's direction,
        /// then close) at or beyond it, filling at that point across the spread; the target is judged at each bar's
        /// close (the exit-brain's bar rule); margin, funding and liquidation are the engine's.
        case venue
    }

    /// Where a touched stop or target fills.
    public enum ProtectiveFill: String, Hashable, Sendable, CaseIterable {
        /// At its level (the QT-EMA workload's rule; peers' default).
        case level
        /// At its level, or at the bar's open when the bar opened beyond it: a stop-market order on the exchange fills
        /// at the market once triggered, so a gap through the stop costs the gap (and a gap through the target gains it).
        case gap
    }

    public init(markets: [Market]) {
        self.markets = markets
    }
}
