/// Unit tag: a price in quote currency (USDT) per one unit of base asset.
public enum PriceUnit: FixedPointUnit { public static var name: String { "price" } }
/// Unit tag: an amount of the base asset (contracts of a USDⓈ-M perpetual), signed for positions.
public enum QuantityUnit: FixedPointUnit { public static var name: String { "quantity" } }
/// Unit tag: a position's or order's value in quote currency, price × quantity.
public enum NotionalUnit: FixedPointUnit { public static var name: String { "notional" } }
/// Unit tag: collateral in quote currency that backs a position, notional ÷ leverage.
public enum MarginUnit: FixedPointUnit { public static var name: String { "margin" } }
/// Unit tag: a dimensionless exact ratio (0.25 = 25 %).
public enum RatioUnit: FixedPointUnit { public static var name: String { "ratio" } }

/// Quote currency per unit of base asset (`"50000.00"`).
public typealias Price = FixedPoint<PriceUnit>
/// Base-asset amount (`"0.001"` BTC); signed where it is a position.
public typealias Quantity = FixedPoint<QuantityUnit>
/// Value in quote currency: price × quantity. Also used for PnL, fees and equity, which are values in USDT.
public typealias Notional = FixedPoint<NotionalUnit>
/// Collateral in quote currency: notional ÷ leverage.
public typealias Margin = FixedPoint<MarginUnit>
/// An exact dimensionless ratio.
public typealias Ratio = FixedPoint<RatioUnit>

/// Leverage as Binance sets it: a whole multiple from 1 to 125.
public struct Leverage: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: Int

    /// `nil` outside 1…125 (Binance's widest bracket).
    public init?(rawValue: Int) {
        guard (1...125).contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    public static func < (lhs: Leverage, rhs: Leverage) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "\(rawValue)x" }
}

// MARK: - Conversions between units (the only ways to cross units)

extension Price {
    /// notional = price × quantity, rounded to 10⁻⁸ as asked (down by default).
    public func notional(of quantity: Quantity, rounding: RoundingRule = .down) throws(MoneyError) -> Notional {
        let product = Int128(units) * Int128(quantity.units)
        let value = try FixedMath.divide(product, by: Int128(Self.one), rounding: rounding)
        return Notional(units: try FixedMath.narrow(value, NotionalUnit.name))
    }
}

extension Quantity {
    /// notional = quantity × price.
    public func notional(at price: Price, rounding: RoundingRule = .down) throws(MoneyError) -> Notional {
        try price.notional(of: self, rounding: rounding)
    }
}

extension Notional {
    /// margin = notional ÷ leverage, rounded up by default so margin is never understated.
    public func margin(at leverage: Leverage, rounding: RoundingRule = .up) throws(MoneyError) -> Margin {
        let value = try FixedMath.divide(Int128(units), by: Int128(leverage.rawValue), rounding: rounding)
        return Margin(units: try FixedMath.narrow(value, MarginUnit.name))
    }

    /// quantity = notional ÷ price, floored by default so the quantity never buys more than the notional.
    public func quantity(at price: Price, rounding: RoundingRule = .down) throws(MoneyError) -> Quantity {
        if price.units == 0 { throw MoneyError(.divisionByZero, "quantity at a zero price") }
        let value = try FixedMath.divide(Int128(units) * Int128(Self.one), by: Int128(price.units), rounding: rounding)
        return Quantity(units: try FixedMath.narrow(value, QuantityUnit.name))
    }
}

extension Notional {
    /// The average price of `quantity` bought for this notional: notional ÷ quantity.
    public func price(per quantity: Quantity, rounding: RoundingRule = .nearest) throws(MoneyError) -> Price {
        if quantity.units == 0 { throw MoneyError(.divisionByZero, "price per zero quantity") }
        let value = try FixedMath.divide(Int128(units) * Int128(Self.one), by: Int128(quantity.units), rounding: rounding)
        return Price(units: try FixedMath.narrow(value, PriceUnit.name))
    }
}

extension Margin {
    /// notional = margin × leverage.
    public func notional(at leverage: Leverage) throws(MoneyError) -> Notional {
        let (value, overflow) = units.multipliedReportingOverflow(by: Int64(leverage.rawValue))
        if overflow { throw MoneyError(.overflow, "margin × leverage overflows") }
        return Notional(units: value)
    }
}

extension Ratio {
    /// A ratio from basis points (12 bps = 0.0012).
    public init(basisPoints: Int64) throws(MoneyError) {
        let (value, overflow) = basisPoints.multipliedReportingOverflow(by: Self.one / 10_000)
        if overflow { throw MoneyError(.overflow, "\(basisPoints) bps out of range") }
        self.init(units: value)
    }
}
