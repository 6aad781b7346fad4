import QuantumSim

/// The decoded parameters of one request (query and form body merged), with typed accessors that
/// fail with the error Binance gives.
///
/// Conventions: an *optional* accessor returns `nil` for a parameter that is absent or empty; a
/// *required* one throws `-1102` then. A value of the wrong shape is `-1100` (illegal characters)
/// or `-1130` (invalid value), as on the live exchange.
public struct BinanceParameters: Hashable, Sendable {
    /// Every parameter by name (already percent-decoded).
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The raw decoded value of `name`, empty strings included, or `nil` when it was not sent.
    public subscript(name: String) -> String? { values[name] }

    /// Whether `name` was sent at all (even empty).
    public func contains(_ name: String) -> Bool { values[name] != nil }

    /// The parameter names, sorted (for diagnostics and deterministic iteration).
    public var names: [String] { values.keys.sorted() }

    /// The value of `name`, or `nil` when absent or empty.
    public func string(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// The value of `name`; `-1102` when absent or empty.
    public func requiredString(_ name: String) throws(ExchangeError) -> String {
        guard let value = string(name) else { throw .mandatoryParameter(name) }
        return value
    }

    /// Whether `name` was sent with a non-empty value.
    public func isPresent(_ name: String) -> Bool { string(name) != nil }
}
