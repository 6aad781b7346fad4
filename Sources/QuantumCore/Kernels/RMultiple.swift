/// R: a position's profit measured in units of its initial risk, in consistent units (FM-37).
///
/// `R = (PnL per unit of quantity − cost per unit) ÷ risk distance per unit`, where
/// PnL per unit = (mark − entry) for a long, (entry − mark) for a short; cost per unit =
/// costRate × entry (a round trip's fees and slippage); risk distance = |entry − initial stop|.
/// The original divided the whole position's PnL by a per-unit distance, so its R scaled with size.
public enum RMultiple {
    /// R from per-unit prices. `nil` when the risk distance is not positive.
    public static func compute(direction: Direction, entry: Price, mark: Price, riskPerUnit: Price, costRate: Ratio = .zero) -> Double? {
        guard riskPerUnit.isPositive else { return nil }
        let move = Double(mark.units - entry.units) * Double(direction.sign)
        let cost = Double(entry.units) * costRate.doubleValue
        return (move - cost) / Double(riskPerUnit.units)
    }

    /// R from a whole position's PnL: divides by the quantity first, so the result does not depend on size.
    public static func compute(pnl: Notional, quantity: Quantity, entry: Price, riskPerUnit: Price, costRate: Ratio = .zero) -> Double? {
        guard riskPerUnit.isPositive, quantity.units != 0 else { return nil }
        let pnlPerUnit = pnl.doubleValue / Swift.abs(quantity.doubleValue)
        let cost = entry.doubleValue * costRate.doubleValue
        return (pnlPerUnit - cost) / riskPerUnit.doubleValue
    }
}
