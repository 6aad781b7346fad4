import QuantumCore

/// Typed reads of reply fields, each failing with the field's name instead of defaulting.
///
/// Binance sends decimals as strings and ids as numbers, but a few fields vary by endpoint and
/// version (`leverage` is a string in positionRisk and a number in symbolConfig), so numeric reads
/// accept either form — never a float conversion.
extension JSONValue {
    /// A short name of the value's kind, for error messages.
    public var kind: String {
        switch self {
        case .object: "object"
        case .array: "array"
        case .string: "string"
        case .integer, .number: "number"
        case .bool: "boolean"
        case .null: "null"
        }
    }

    /// The member `key` of this object; missing, `null` or not an object is an error.
    public func member(_ key: String) throws(WireDecodingError) -> JSONValue {
        guard case .object = self else { throw WireDecodingError(field: key, message: "expected an object, got \(kind)") }
        guard let value = self[key], value != .null else { throw WireDecodingError(field: key, message: "missing") }
        return value
    }

    /// The member `key` if present and not `null`.
    public func optionalMember(_ key: String) -> JSONValue? {
        guard let value = self[key], value != .null else { return nil }
        return value
    }

    /// The elements of an array.
    public func elements() throws(WireDecodingError) -> [JSONValue] {
        guard case .array(let values) = self else { throw WireDecodingError(field: "", message: "expected an array, got \(kind)") }
        return values
    }

    /// This value as text: a JSON string, or a number's literal text.
    public func textValue() throws(WireDecodingError) -> String {
        switch self {
        case .string(let text), .number(let text): return text
        case .integer(let value): return String(value)
        default: throw WireDecodingError(field: "", message: "expected a string, got \(kind)")
        }
    }

    /// The string member `key`.
    public func string(_ key: String) throws(WireDecodingError) -> String {
        do { return try member(key).textValue() } catch { throw error.field.isEmpty ? error.within(key) : error }
    }

    /// The string member `key`, or `nil` when absent, `null` or empty.
    public func optionalString(_ key: String) throws(WireDecodingError) -> String? {
        guard let value = optionalMember(key) else { return nil }
        do {
            let text = try value.textValue()
            return text.isEmpty ? nil : text
        } catch { throw error.within(key) }
    }

    /// The decimal member `key` (a JSON string such as `"50000.10"`, or a number), exactly.
    public func decimal<Unit>(_ key: String, as _: FixedPoint<Unit>.Type = FixedPoint<Unit>.self) throws(WireDecodingError) -> FixedPoint<Unit> {
        let text = try string(key)
        do { return try FixedPoint<Unit>(parsing: text) } catch {
            throw WireDecodingError(field: key, message: "'\(text)' is not a decimal: \(error)")
        }
    }

    /// The decimal member `key`, or `nil` when absent, `null` or empty.
    public func optionalDecimal<Unit>(_ key: String, as _: FixedPoint<Unit>.Type = FixedPoint<Unit>.self) throws(WireDecodingError) -> FixedPoint<Unit>? {
        guard let text = try optionalString(key) else { return nil }
        do { return try FixedPoint<Unit>(parsing: text) } catch {
            throw WireDecodingError(field: key, message: "'\(text)' is not a decimal: \(error)")
        }
    }

    /// The integer member `key` (a JSON integer, or a string of digits).
    public func integer(_ key: String) throws(WireDecodingError) -> Int64 {
        let value = try member(key)
        switch value {
        case .integer(let integer): return integer
        case .string(let text):
            if let integer = Int64(text) { return integer }
            throw WireDecodingError(field: key, message: "'\(text)' is not an integer")
        default: throw WireDecodingError(field: key, message: "expected an integer, got \(value.kind)")
        }
    }

    /// The integer member `key`, or `nil` when absent, `null` or an empty string.
    public func optionalInteger(_ key: String) throws(WireDecodingError) -> Int64? {
        guard let value = optionalMember(key), value != .string("") else { return nil }
        return try integer(key)
    }

    /// The boolean member `key` (a JSON boolean, or `"true"`/`"false"` in any case).
    public func boolean(_ key: String) throws(WireDecodingError) -> Bool {
        let value = try member(key)
        switch value {
        case .bool(let flag): return flag
        case .string(let text) where text.lowercased() == "true": return true
        case .string(let text) where text.lowercased() == "false": return false
        default: throw WireDecodingError(field: key, message: "expected a boolean, got \(value.kind)")
        }
    }

    /// The boolean member `key`, or `fallback` when absent or `null`.
    public func boolean(_ key: String, default fallback: Bool) throws(WireDecodingError) -> Bool {
        optionalMember(key) == nil ? fallback : try boolean(key)
    }

    /// The member `key` as a closed enumeration.
    public func enumeration<Value: RawRepresentable>(_ key: String, as _: Value.Type = Value.self) throws(WireDecodingError) -> Value
    where Value.RawValue == String {
        let text = try string(key)
        guard let value = Value(rawValue: text) else { throw WireDecodingError(field: key, message: "unknown value '\(text)'") }
        return value
    }

    /// The member `key` as a symbol.
    public func symbol(_ key: String) throws(WireDecodingError) -> Symbol {
        let text = try string(key)
        guard let symbol = Symbol(rawValue: text) else { throw WireDecodingError(field: key, message: "'\(text)' is not a symbol") }
        return symbol
    }

    /// The member `key` as a time in ms.
    public func time(_ key: String) throws(WireDecodingError) -> EpochMillis {
        EpochMillis(try integer(key))
    }
}

extension JSONValue {
    /// A valuation member (`breakEvenPrice`, `markPrice`, `unRealizedProfit`) that Binance may send
    /// with more than 8 decimals; digits past the 8th are cut (toward zero).
    ///
    /// Only for figures that are reported, never for prices or quantities sent back in orders: those
    /// go through the exact `decimal(_:)`.
    public func valuation<Unit>(_ key: String, as _: FixedPoint<Unit>.Type = FixedPoint<Unit>.self) throws(WireDecodingError) -> FixedPoint<Unit> {
        let text = try string(key)
        var cut = Substring(text)
        if let point = text.firstIndex(of: "."), text.distance(from: point, to: text.endIndex) > FixedPoint<Unit>.scale + 1 {
            cut = text[..<text.index(point, offsetBy: FixedPoint<Unit>.scale + 1)]
        }
        do { return try FixedPoint<Unit>(parsing: String(cut)) } catch {
            throw WireDecodingError(field: key, message: "'\(text)' is not a decimal: \(error)")
        }
    }
}

extension JSONValue {
    /// The first of `keys` that is present, as an integer; `nil` when none is.
    public func firstInteger(_ keys: String...) throws(WireDecodingError) -> Int64? {
        for key in keys {
            if let value = try optionalInteger(key) { return value }
        }
        return nil
    }

    /// The first of `keys` that is present, as a string; an error naming them all when none is.
    public func firstString(_ keys: String...) throws(WireDecodingError) -> String {
        for key in keys {
            if let value = try optionalString(key) { return value }
        }
        throw WireDecodingError(field: keys.joined(separator: "|"), message: "missing")
    }
}
