/// A unit tag for `FixedPoint`: what a fixed-point amount measures.
public protocol FixedPointUnit: Sendable {
    /// Short name used in error messages (`price`, `quantity`, …).
    static var name: String { get }
}

/// An exact decimal amount of one unit, stored as an integer count of 10⁻⁸.
///
/// Binance sends and expects at most 8 decimals, so 10⁻⁸ represents every value it uses exactly;
/// `Int64` then spans ±92 233 720 368.54775807, far beyond any price, quantity or account value
/// this system handles. Arithmetic is overflow-checked and throws instead of trapping, so bad
/// input can never crash a service; products and quotients go through 128-bit intermediates.
/// The unit parameter keeps prices, quantities, notionals and margins apart at compile time
/// (the original system's FM-37 was a margin used as a notional).
public struct FixedPoint<Unit: FixedPointUnit>: Hashable, Comparable, Sendable {
    /// Number of decimal places stored.
    public static var scale: Int { 8 }
    /// 10^scale.
    public static var one: Int64 { 100_000_000 }

    /// The amount in units of 10⁻⁸.
    public var units: Int64

    /// Creates an amount from its count of 10⁻⁸.
    public init(units: Int64) { self.units = units }

    /// A whole number of the unit (`Price(whole: 50_000)`); throws on overflow.
    public init(whole: Int64) throws(MoneyError) {
        let (value, overflow) = whole.multipliedReportingOverflow(by: Self.one)
        if overflow { throw MoneyError(.overflow, "\(whole) \(Unit.name) is out of range") }
        self.units = value
    }

    public static var zero: Self { Self(units: 0) }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.units < rhs.units }

    public var isZero: Bool { units == 0 }
    public var isPositive: Bool { units > 0 }
    public var isNegative: Bool { units < 0 }

    /// The magnitude; throws only for the one value whose magnitude does not fit.
    public func magnitude() throws(MoneyError) -> Self {
        if units == .min { throw MoneyError(.overflow, "magnitude of \(Unit.name) out of range") }
        return Self(units: Swift.abs(units))
    }

    /// The negated amount.
    public func negated() throws(MoneyError) -> Self {
        if units == .min { throw MoneyError(.overflow, "negation of \(Unit.name) out of range") }
        return Self(units: -units)
    }

    /// An approximation for statistics and scores; never use it on the order path.
    public var doubleValue: Double { Double(units) / Double(Self.one) }

    /// The exact amount from a `Double`, rounded half away from zero to 10⁻⁸.
    ///
    /// For statistics that produce a price level (a proposed stop, say); round to the tick afterwards.
    public init(approximating value: Double) throws(MoneyError) {
        let scaled = (value * Double(Self.one)).rounded(.toNearestOrAwayFromZero)
        guard scaled.isFinite, scaled > -9.2e18, scaled < 9.2e18 else {
            throw MoneyError(.overflow, "\(value) is not a representable \(Unit.name)")
        }
        self.units = Int64(scaled)
    }
}

extension FixedPoint {
    /// Sum; throws on overflow.
    public static func + (lhs: Self, rhs: Self) throws(MoneyError) -> Self {
        let (value, overflow) = lhs.units.addingReportingOverflow(rhs.units)
        if overflow { throw MoneyError(.overflow, "\(lhs) + \(rhs) overflows \(Unit.name)") }
        return Self(units: value)
    }

    /// Difference; throws on overflow.
    public static func - (lhs: Self, rhs: Self) throws(MoneyError) -> Self {
        let (value, overflow) = lhs.units.subtractingReportingOverflow(rhs.units)
        if overflow { throw MoneyError(.overflow, "\(lhs) - \(rhs) overflows \(Unit.name)") }
        return Self(units: value)
    }

    /// The amount times an integer; throws on overflow.
    public static func * (lhs: Self, rhs: Int64) throws(MoneyError) -> Self {
        let (value, overflow) = lhs.units.multipliedReportingOverflow(by: rhs)
        if overflow { throw MoneyError(.overflow, "\(lhs) × \(rhs) overflows \(Unit.name)") }
        return Self(units: value)
    }

    /// The amount times an exact ratio `numerator / denominator`, rounded as asked.
    public func scaled(by numerator: Int64, over denominator: Int64, rounding: RoundingRule = .down) throws(MoneyError) -> Self {
        let value = try FixedMath.divide(Int128(units) * Int128(numerator), by: Int128(denominator), rounding: rounding)
        return Self(units: try FixedMath.narrow(value, Unit.name))
    }

    /// `fraction` of this amount, e.g. 25 % of a position (fraction in 0…1 as an exact decimal).
    public func fraction(_ fraction: Ratio, rounding: RoundingRule = .down) throws(MoneyError) -> Self {
        try scaled(by: fraction.units, over: Ratio.one, rounding: rounding)
    }

    /// The exact ratio of two amounts of the same unit (for example peak size over current size).
    public func ratio(to other: Self, rounding: RoundingRule = .down) throws(MoneyError) -> Ratio {
        if other.units == 0 { throw MoneyError(.divisionByZero, "ratio of \(Unit.name) to zero") }
        let value = try FixedMath.divide(Int128(units) * Int128(Self.one), by: Int128(other.units), rounding: rounding)
        return Ratio(units: try FixedMath.narrow(value, RatioUnit.name))
    }
}

/// How a value that falls between two representable values is resolved.
public enum RoundingRule: Hashable, Sendable {
    /// Toward negative infinity (floor): quantities to a step, so an order never exceeds what was meant.
    case down
    /// Toward positive infinity (ceiling).
    case up
    /// To the nearest, halves away from zero.
    case nearest
    /// Toward zero (truncation).
    case towardZero
}

/// Integer helpers shared by the fixed-point types.
enum FixedMath {
    static func divide(_ numerator: Int128, by denominator: Int128, rounding: RoundingRule) throws(MoneyError) -> Int128 {
        if denominator == 0 { throw MoneyError(.divisionByZero, "division by zero") }
        let quotient = numerator / denominator
        let remainder = numerator % denominator
        if remainder == 0 { return quotient }
        let positive = (numerator < 0) == (denominator < 0)
        switch rounding {
        case .towardZero:
            return quotient
        case .down:
            return positive ? quotient : quotient - 1
        case .up:
            return positive ? quotient + 1 : quotient
        case .nearest:
            let twice = remainder.magnitude * 2
            if twice >= denominator.magnitude { return positive ? quotient + 1 : quotient - 1 }
            return quotient
        }
    }

    static func narrow(_ value: Int128, _ unit: String) throws(MoneyError) -> Int64 {
        guard value >= Int128(Int64.min), value <= Int128(Int64.max) else {
            throw MoneyError(.overflow, "result out of range for \(unit)")
        }
        return Int64(value)
    }
}
