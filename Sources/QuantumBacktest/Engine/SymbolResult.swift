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
}
