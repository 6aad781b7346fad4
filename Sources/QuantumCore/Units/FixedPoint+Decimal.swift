extension FixedPoint: CustomStringConvertible, LosslessStringConvertible {
    /// Parses a plain decimal string exactly: `"0.001"`, `"50000.00"`, `"-1.5"`, `"7"`, `".5"`.
    ///
    /// Trailing zeros beyond 8 decimals are accepted (`"0.100000000"`); any other digit beyond the
    /// 8th decimal, exponents, spaces, `+`/`-` alone, `nan` or an empty string are errors. Binance
    /// sends every decimal as such a string.
    public init(parsing text: String) throws(MoneyError) {
        try self.init(parsing: Substring(text))
    }

    /// Parses a slice of a larger text (a CSV field) the same way, without copying it into a `String` first.
    public init(parsing text: Substring) throws(MoneyError) {
        var utf8 = text.utf8[...]
        guard !utf8.isEmpty, utf8.count <= 64 else {
            throw MoneyError(.malformedDecimal, "\(Unit.name) '\(text.prefix(64))' is not a decimal")
        }
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var whole: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var digits = 0
        var seenPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                if seenPoint { throw MoneyError(.malformedDecimal, "\(Unit.name) '\(text)' has two decimal points") }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw MoneyError(.malformedDecimal, "\(Unit.name) '\(text)' is not a decimal")
            }
            let digit = Int64(byte - UInt8(ascii: "0"))
            digits += 1
            if seenPoint {
                if fractionDigits == Self.scale {
                    if digit != 0 { throw MoneyError(.tooManyDecimals, "\(Unit.name) '\(text)' has more than \(Self.scale) decimals") }
                    continue
                }
                fraction = fraction * 10 + digit
                fractionDigits += 1
            } else {
                let (shifted, o1) = whole.multipliedReportingOverflow(by: 10)
                let (added, o2) = shifted.addingReportingOverflow(digit)
                if o1 || o2 { throw MoneyError(.overflow, "\(Unit.name) '\(text)' is out of range") }
                whole = added
            }
        }
        guard digits > 0 else { throw MoneyError(.malformedDecimal, "\(Unit.name) '\(text)' has no digits") }
        while fractionDigits < Self.scale {
            fraction *= 10
            fractionDigits += 1
        }
        let (scaled, o1) = whole.multipliedReportingOverflow(by: Self.one)
        let (total, o2) = scaled.addingReportingOverflow(fraction)
        if o1 || o2 { throw MoneyError(.overflow, "\(Unit.name) '\(text)' is out of range") }
        self.units = negative ? -total : total
    }

    /// `LosslessStringConvertible`: `nil` when the text does not parse.
    public init?(_ description: String) {
        guard let value = try? Self(parsing: description) else { return nil }
        self = value
    }

    /// The shortest exact decimal: `"0.001"`, `"50000"`, `"-1.5"`.
    public var description: String { formatted(minimumDecimals: 0) }

    /// The decimal with exactly `decimals` places (0…8), rounded as asked.
    ///
    /// Binance expects at most the symbol's precision, e.g. `"50000.10"` for a tick of 0.10.
    public func formatted(decimals: Int, rounding: RoundingRule = .nearest) -> String {
        let places = min(max(decimals, 0), Self.scale)
        var divisor: Int64 = 1
        for _ in 0..<(Self.scale - places) { divisor *= 10 }
        // Cannot overflow Int128; narrowing back can only fail at the extreme edge, where we keep the value.
        let rounded = (try? FixedMath.divide(Int128(units), by: Int128(divisor), rounding: rounding)) ?? Int128(units / divisor)
        return Self.render(rounded, decimals: places, minimumDecimals: places)
    }

    func formatted(minimumDecimals: Int) -> String {
        Self.render(Int128(units), decimals: Self.scale, minimumDecimals: minimumDecimals)
    }

    /// Digits written from the right into one buffer, then one string: every price on every stream frame goes through here.
    private static func render(_ value: Int128, decimals: Int, minimumDecimals: Int) -> String {
        if let small = UInt64(exactly: value.magnitude) {
            return render(magnitude: small, negative: value < 0, decimals: decimals, minimumDecimals: minimumDecimals)
        }
        // Beyond 64 bits (products of two amounts, never a price or a quantity): the plain way.
        var divisor: UInt128 = 1
        for _ in 0..<decimals { divisor *= 10 }
        let whole = value.magnitude / divisor
        var fraction = ""
        if decimals > 0 {
            let raw = String(value.magnitude % divisor)
            fraction = String(repeating: "0", count: decimals - raw.count) + raw
            while fraction.count > minimumDecimals, fraction.last == "0" { fraction.removeLast() }
        }
        let sign = value < 0 ? "-" : ""
        return fraction.isEmpty ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    private static func render(magnitude value: UInt64, negative: Bool, decimals: Int, minimumDecimals: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 44 + decimals) { buffer in
            var magnitude = value
            var start = buffer.count
            var nonzero = false
            var fractionDigits = 0
            // The fraction, least significant digit first; trailing zeros beyond the minimum are left out.
            for position in 0..<decimals {
                let digit = UInt8(magnitude % 10)
                magnitude /= 10
                if fractionDigits == 0, digit == 0, decimals - position > minimumDecimals { continue }
                start -= 1
                buffer[start] = 0x30 + digit
                fractionDigits += 1
                nonzero = nonzero || digit != 0
            }
            if fractionDigits > 0 {
                start -= 1
                buffer[start] = 0x2E
            }
            repeat {
                let digit = UInt8(magnitude % 10)
                magnitude /= 10
                start -= 1
                buffer[start] = 0x30 + digit
                nonzero = nonzero || digit != 0
            } while magnitude > 0
            if negative, nonzero {
                start -= 1
                buffer[start] = 0x2D
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[start...]), as: UTF8.self)
        }
    }

    /// Number of significant decimals (`"0.0010"` → 3): how Binance's precision check counts.
    public var significantDecimals: Int {
        var value = units
        var decimals = Self.scale
        while decimals > 0, value % 10 == 0 {
            value /= 10
            decimals -= 1
        }
        return decimals
    }
}

extension FixedPoint {
    /// This amount rounded to a multiple of `step` (a tick size or step size), e.g. 0.12345 → 0.123 for 0.001.
    public func rounded(toStep step: Self, _ rule: RoundingRule = .down) throws(MoneyError) -> Self {
        guard step.units > 0 else { throw MoneyError(.invalidStep, "\(Unit.name) step \(step) must be positive") }
        let count = try FixedMath.divide(Int128(units), by: Int128(step.units), rounding: rule)
        return Self(units: try FixedMath.narrow(count * Int128(step.units), Unit.name))
    }

    /// Whether this amount is an exact multiple of `step` counted from `base` (Binance: (qty − minQty) % step).
    public func isMultiple(of step: Self, from base: Self = .zero) -> Bool {
        guard step.units > 0 else { return true }
        let offset = Int128(units) - Int128(base.units)
        return offset % Int128(step.units) == 0
    }
}
