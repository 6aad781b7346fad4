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
    /// Where a touched stop or target fills.
    public var protectiveFill = ProtectiveFill.level

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
