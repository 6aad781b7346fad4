import QuantumCore

/// Why a backtest position was closed (the live system's `ExitReason` names exit requests; these name fills).
public enum BacktestExit: String, Hashable, Sendable, CaseIterable, Codable {
    /// The protective stop was touched.
    case stop
    /// The profit target was touched.
    case target
    /// An opposite cross closed it at the bar's close.
    case cross
    /// The data ended with the position open; closed at the last close.
    case endOfData = "end_of_data"
    /// The exchange liquidated it (fills at the venue only).
    case liquidation
}

/// One round trip of a backtest: entry, exit, why, and what it made in exact USDT.
public struct BacktestTrade: Hashable, Sendable {
    public var symbol: Symbol
    public var direction: Direction
    public var quantity: Quantity
    public var entryTime: EpochMillis
    public var entryPrice: Price
    /// The stop and target set at entry (rounded to the tick, away from the entry).
    public var stop: Price
    public var target: Price
    public var exitTime: EpochMillis
    public var exitPrice: Price
    public var exitReason: BacktestExit
    /// PnL before fees.
    public var grossPnL: Notional
    /// Both fills' commissions.
    public var fees: Notional
    /// Funding paid while the position was held (negative: received); always zero with fills at the close.
    public var funding: Notional = .zero
    /// Gross PnL less fees and funding.
    public var netPnL: Notional
    /// What the stop put at risk: |entry − stop| × quantity.
    public var risk: Notional
    /// Bars held, from the entry bar to the exit bar.
    public var barsHeld: Int

    /// The trade's net result in multiples of its initial risk (R); 0 when nothing was at risk.
    public var rMultiple: Double { risk.isPositive ? netPnL.doubleValue / risk.doubleValue : 0 }
}
