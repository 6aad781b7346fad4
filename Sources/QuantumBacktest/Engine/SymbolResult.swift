import QuantumCore

/// What one symbol's backtest produced.
public struct SymbolResult: Sendable {
    public var symbol: Symbol
    public var interval: KlineInterval
    /// Open time of the first bar, in milliseconds.
    public var firstOpenTime: Int64
    public var bars: Int
    public var trades: [BacktestTrade]
    /// Net PnL (realized after fees, plus unrealized at the close) after each bar; statistics only.
    public var cumulativePnL: [Double]
    /// Bars that ended with a position open.
    public var exposedBars: Int
    /// Crosses that could not become an entry (zero quantity, levels on the wrong side, margin).
    public var refusedSignals: Int
    /// Every cross the strategy made, in bar order: what the live signal-bot would have sent as an intent.
    public var signals: [BacktestSignal] = []
}

/// A cross of the strategy at a bar's close: the decision live trading turns into a trade intent.
public struct BacktestSignal: Hashable, Sendable {
    /// Open time of the bar the cross closed, ms.
    public var openTime: Int64
    public var direction: Direction
    /// The bar's close: the intent's reference price.
    public var close: Price
}
