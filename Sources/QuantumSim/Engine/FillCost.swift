import QuantumCore

/// What one fill costs: its quote value and commission, by the paper exchange's rules.
///
/// Quote = price × quantity rounded down to 10⁻⁸, commission = quote × fee rate rounded up (never understated).
/// The simulated exchange books every fill with it, and the backtest books its fills with it too, so both charge
/// the same to the last unit.
public struct FillCost: Hashable, Sendable {
    /// price × quantity.
    public var quote: Notional
    /// The fee charged on the fill.
    public var commission: Notional

    /// The cost of `quantity` filled at `price` with fee rate `rate`.
    public init(price: Price, quantity: Quantity, rate: Ratio) throws(MoneyError) {
        quote = try price.notional(of: quantity)
        commission = try quote.fraction(rate, rounding: .up)
    }
}
