/// Strict, typed reads from the flat string fields of a stream entry.
///
/// Every read names its field in the error. Optional reads accept absence only: a field that is
/// present must be valid (an empty string is not "absent").
public struct FieldReader: Sendable {
    public let fields: [String: String]

    public init(_ fields: [String: String]) { self.fields = fields }

    /// A required non-empty string (at most 256 characters).
    public func string(_ name: String) throws(MessageDecodingError) -> String {
        guard let value = fields[name] else { throw MessageDecodingError(.missingField, field: name, "required") }
        guard !value.isEmpty, value.count <= 256 else {
            throw MessageDecodingError(.invalidValue, field: name, "must be 1…256 characters")
        }
        return value
    }

    public func optionalString(_ name: String) throws(MessageDecodingError) -> String? {
        fields[name] == nil ? nil : try string(name)
    }

    /// A required closed-enum word; unknown words are errors, never a default.
    public func word<E: RawRepresentable & CaseIterable>(_ name: String, as type: E.Type = E.self) throws(MessageDecodingError) -> E
    where E.RawValue == String {
        let raw = try string(name)
        guard let value = E(rawValue: raw) else {
            let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw MessageDecodingError(.invalidValue, field: name, "'\(raw.prefix(64))' is not one of \(allowed)")
        }
        return value
    }

    public func optionalWord<E: RawRepresentable & CaseIterable>(_ name: String, as type: E.Type = E.self) throws(MessageDecodingError) -> E?
    where E.RawValue == String {
        fields[name] == nil ? nil : try word(name, as: type)
    }

    /// A value parsed by a failable initializer (symbols, leverage, …).
    public func parsed<T>(_ name: String, _ what: String, _ parse: (String) -> T?) throws(MessageDecodingError) -> T {
        let raw = try string(name)
        guard let value = parse(raw) else { throw MessageDecodingError(.invalidValue, field: name, "'\(raw.prefix(64))' is not \(what)") }
        return value
    }

    /// `true` or `false` exactly (FM-34: never `True`, `1` or `yes`).
    public func bool(_ name: String) throws(MessageDecodingError) -> Bool {
        switch try string(name) {
        case "true": return true
        case "false": return false
        case let other: throw MessageDecodingError(.invalidValue, field: name, "'\(other.prefix(64))' is not true or false")
        }
    }

    /// A decimal integer.
    public func int(_ name: String) throws(MessageDecodingError) -> Int64 {
        try parsed(name, "an integer") { Int64($0) }
    }

    public func optionalInt(_ name: String) throws(MessageDecodingError) -> Int64? {
        fields[name] == nil ? nil : try int(name)
    }

    /// An exact decimal of a unit (`"0.001"`).
    public func decimal<U>(_ name: String, as type: FixedPoint<U>.Type = FixedPoint<U>.self) throws(MessageDecodingError) -> FixedPoint<U> {
        let raw = try string(name)
        do { return try FixedPoint<U>(parsing: raw) } catch {
            throw MessageDecodingError(.invalidValue, field: name, error.message)
        }
    }

    public func optionalDecimal<U>(_ name: String, as type: FixedPoint<U>.Type = FixedPoint<U>.self) throws(MessageDecodingError) -> FixedPoint<U>? {
        fields[name] == nil ? nil : try decimal(name, as: type)
    }

    /// A strictly positive exact decimal.
    public func positiveDecimal<U>(_ name: String, as type: FixedPoint<U>.Type = FixedPoint<U>.self) throws(MessageDecodingError) -> FixedPoint<U> {
        let value = try decimal(name, as: type)
        guard value.isPositive else { throw MessageDecodingError(.invalidValue, field: name, "must be positive") }
        return value
    }

    public func optionalPositiveDecimal<U>(_ name: String, as type: FixedPoint<U>.Type = FixedPoint<U>.self) throws(MessageDecodingError) -> FixedPoint<U>? {
        fields[name] == nil ? nil : try positiveDecimal(name, as: type)
    }

    /// A finite floating-point statistic (a score, a confidence), optionally bounded.
    public func double(_ name: String, in range: ClosedRange<Double>? = nil) throws(MessageDecodingError) -> Double {
        let value = try parsed(name, "a number") { Double($0) }
        guard value.isFinite else { throw MessageDecodingError(.invalidValue, field: name, "must be finite") }
        if let range, !range.contains(value) {
            throw MessageDecodingError(.invalidValue, field: name, "\(value) is outside \(range.lowerBound)…\(range.upperBound)")
        }
        return value
    }

    public func optionalDouble(_ name: String, in range: ClosedRange<Double>? = nil) throws(MessageDecodingError) -> Double? {
        fields[name] == nil ? nil : try double(name, in: range)
    }

    /// A timestamp in epoch milliseconds (positive).
    public func time(_ name: String) throws(MessageDecodingError) -> EpochMillis {
        let value = try int(name)
        guard value > 0 else { throw MessageDecodingError(.invalidValue, field: name, "must be a positive epoch in ms") }
        return EpochMillis(value)
    }

    public func optionalTime(_ name: String) throws(MessageDecodingError) -> EpochMillis? {
        fields[name] == nil ? nil : try time(name)
    }

    public func symbol(_ name: String = "symbol") throws(MessageDecodingError) -> Symbol {
        try parsed(name, "a symbol") { Symbol(rawValue: $0) }
    }

    public func epoch(_ name: String = "epoch") throws(MessageDecodingError) -> PositionEpoch {
        try parsed(name, "a position epoch (1 or more)") { UInt64($0).flatMap(PositionEpoch.init(rawValue:)) }
    }

    public func leverage(_ name: String = "leverage") throws(MessageDecodingError) -> Leverage {
        try parsed(name, "a leverage of 1…125") { Int($0).flatMap(Leverage.init(rawValue:)) }
    }
}

/// Writes the canonical flat encoding: decimals as exact strings, booleans `true`/`false`.
public struct FieldWriter: Sendable {
    public private(set) var fields: [String: String] = [:]

    public init() {}

    public mutating func set(_ name: String, _ value: String) { fields[name] = value }
    public mutating func set(_ name: String, _ value: String?) { if let value { fields[name] = value } }
    public mutating func set(_ name: String, _ value: Bool) { fields[name] = value ? "true" : "false" }
    public mutating func set(_ name: String, _ value: Int64) { fields[name] = String(value) }
    public mutating func set(_ name: String, _ value: Int64?) { if let value { fields[name] = String(value) } }
    public mutating func set(_ name: String, _ value: Double) { fields[name] = value.description }
    public mutating func set(_ name: String, _ value: Double?) { if let value { fields[name] = value.description } }
    public mutating func set<U>(_ name: String, _ value: FixedPoint<U>) { fields[name] = value.description }
    public mutating func set<U>(_ name: String, _ value: FixedPoint<U>?) { if let value { fields[name] = value.description } }
    public mutating func set(_ name: String, _ value: EpochMillis) { fields[name] = String(value.rawValue) }
    public mutating func set(_ name: String, _ value: EpochMillis?) { if let value { fields[name] = String(value.rawValue) } }
    public mutating func set<E: RawRepresentable>(_ name: String, _ value: E) where E.RawValue == String { fields[name] = value.rawValue }
    public mutating func set<E: RawRepresentable>(_ name: String, _ value: E?) where E.RawValue == String {
        if let value { fields[name] = value.rawValue }
    }
}
