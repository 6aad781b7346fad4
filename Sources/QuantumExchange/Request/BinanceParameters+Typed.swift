import QuantumCore
import QuantumSim

extension BinanceParameters {
    /// Binance's legal range for integer parameters, quoted in `-1100`.
    public static let integerRange = "^[0-9]{1,20}$"
    /// Binance's legal range for decimal parameters, quoted in `-1100`.
    public static let decimalRange = "^([0-9]{1,20})(\\.[0-9]{1,20})?$"

    /// A non-negative integer parameter (`orderId`, `limit`, `timestamp`); `-1100` for anything but
    /// 1–20 digits, `-1130` when it does not fit 64 bits.
    public func int64(_ name: String) throws(ExchangeError) -> Int64? {
        guard let text = string(name) else { return nil }
        guard Self.isDigits(text.utf8, maxCount: 20) else { throw EdgeErrors.illegalCharacters(name, legalRange: Self.integerRange) }
        guard let value = Int64(text) else { throw .invalidParameter(name) }
        return value
    }

    /// A required non-negative integer parameter; `-1102` when absent or empty.
    public func requiredInt64(_ name: String) throws(ExchangeError) -> Int64 {
        guard let value = try int64(name) else { throw .mandatoryParameter(name) }
        return value
    }

    /// A non-negative integer parameter as `Int`.
    public func int(_ name: String) throws(ExchangeError) -> Int? {
        guard let value = try int64(name) else { return nil }
        guard let narrowed = Int(exactly: value) else { throw .invalidParameter(name) }
        return narrowed
    }

    /// A required non-negative integer parameter as `Int`; `-1102` when absent or empty.
    public func requiredInt(_ name: String) throws(ExchangeError) -> Int {
        guard let value = try int(name) else { throw .mandatoryParameter(name) }
        return value
    }

    /// A time parameter in ms since the epoch (`timestamp`, `startTime`).
    public func millis(_ name: String) throws(ExchangeError) -> EpochMillis? {
        try int64(name).map { EpochMillis($0) }
    }

    /// A decimal parameter (`price`, `quantity`) as an exact fixed-point value.
    ///
    /// `-1100` unless it matches Binance's `digits[.digits]`, `-1111` with more than 8 significant
    /// decimals, `-1130` when out of range. Trailing zeros are accepted (`0.0010` = `0.001`).
    public func decimal<Unit: FixedPointUnit>(_ name: String, as unit: Unit.Type = Unit.self) throws(ExchangeError) -> FixedPoint<Unit>? {
        guard let text = string(name) else { return nil }
        guard Self.isDecimal(text) else { throw EdgeErrors.illegalCharacters(name, legalRange: Self.decimalRange) }
        do {
            return try FixedPoint<Unit>(parsing: text)
        } catch {
            throw error.code == .tooManyDecimals ? EdgeErrors.badPrecision : .invalidParameter(name)
        }
    }

    /// A required decimal parameter; `-1102` when absent or empty.
    public func requiredDecimal<Unit: FixedPointUnit>(_ name: String, as unit: Unit.Type = Unit.self) throws(ExchangeError) -> FixedPoint<Unit> {
        guard let value = try decimal(name, as: unit) else { throw .mandatoryParameter(name) }
        return value
    }

    /// A boolean parameter: `true`/`false` in any case (`"TRUE"` for `priceProtect`); else `-1130`.
    public func bool(_ name: String) throws(ExchangeError) -> Bool? {
        guard let text = string(name) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw .invalidParameter(name)
        }
    }

    /// A required boolean parameter; `-1102` when absent or empty.
    public func requiredBool(_ name: String) throws(ExchangeError) -> Bool {
        guard let value = try bool(name) else { throw .mandatoryParameter(name) }
        return value
    }

    /// A parameter from a closed vocabulary (`side`, `type`, `timeInForce`), matched exactly.
    ///
    /// - Parameter invalid: the error for an unknown value (`-1117` for side, …); `-1130` by default.
    public func enumeration<Value: RawRepresentable>(
        _ name: String, as type: Value.Type = Value.self, invalid: ExchangeError? = nil
    ) throws(ExchangeError) -> Value? where Value.RawValue == String {
        guard let text = string(name) else { return nil }
        guard let value = Value(rawValue: text) else { throw invalid ?? .invalidParameter(name) }
        return value
    }

    /// A required parameter from a closed vocabulary; `-1102` when absent or empty.
    public func requiredEnumeration<Value: RawRepresentable>(
        _ name: String, as type: Value.Type = Value.self, invalid: ExchangeError? = nil
    ) throws(ExchangeError) -> Value where Value.RawValue == String {
        guard let value = try enumeration(name, as: type, invalid: invalid) else { throw .mandatoryParameter(name) }
        return value
    }

    private static func isDigits(_ text: some Collection<UInt8>, maxCount: Int) -> Bool {
        !text.isEmpty && text.count <= maxCount && text.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static func isDecimal(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, isDigits(whole, maxCount: 20) else { return false }
        guard parts.count == 2 else { return true }
        return isDigits(parts[1], maxCount: 20)
    }
}
