import QuantumCore

/// One notional tier of a symbol's leverage brackets (Binance `GET /fapi/v1/leverageBracket`).
///
/// A position whose notional is in `(notionalFloor, notionalCap]` may use at most
/// `initialLeverage` and keeps maintenance margin `notional × maintMarginRatio − cum`. `cum` is the
/// maintenance amount that makes that formula continuous across tiers.
public struct LeverageBracket: Hashable, Sendable, CustomStringConvertible {
    /// Binance's 1-based tier number.
    public var bracket: Int
    /// The highest leverage allowed within this tier.
    public var initialLeverage: Leverage
    /// The largest position notional of the tier (included).
    public var notionalCap: Notional
    /// The notional where the tier starts (the previous tier's cap; excluded except for tier 1's 0).
    public var notionalFloor: Notional
    /// The maintenance margin rate.
    public var maintMarginRatio: Ratio
    /// The maintenance amount: `cum_n = cum_{n−1} + floor_n × (mmr_n − mmr_{n−1})`.
    public var cum: Notional

    public init(bracket: Int, initialLeverage: Leverage, notionalCap: Notional, notionalFloor: Notional,
                maintMarginRatio: Ratio, cum: Notional) {
        self.bracket = bracket
        self.initialLeverage = initialLeverage
        self.notionalCap = notionalCap
        self.notionalFloor = notionalFloor
        self.maintMarginRatio = maintMarginRatio
        self.cum = cum
    }

    /// Whether a cap beyond the fixed-point range was given (Binance writes 2⁶³ − 1 for "no cap").
    public var isUncapped: Bool { notionalCap.units == Int64.max }

    /// Maintenance margin of a notional in this tier: `|notional| × mmr − cum`, rounded up, never negative.
    ///
    /// A value in USDT compared with equity, so a `Notional` (the engine's account keeps equity as one).
    public func maintenanceMargin(forNotional notional: Notional) throws(MoneyError) -> Notional {
        let required = try (try notional.magnitude()).fraction(maintMarginRatio, rounding: .up) - cum
        return max(required, .zero)
    }

    public var description: String {
        "\(bracket): \(initialLeverage) \(notionalFloor)→\(isUncapped ? "∞" : notionalCap.description) mmr=\(maintMarginRatio) cum=\(cum)"
    }
}
