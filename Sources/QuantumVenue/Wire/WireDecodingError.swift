/// A reply that parsed as JSON but does not have the shape the adapter expects: which field, and why.
public struct WireDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field, as a dotted path from the reply's root where known (`"executedQty"`, `"o.X"`).
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// The same error with `prefix` in front of its field path.
    public func within(_ prefix: String) -> WireDecodingError {
        WireDecodingError(field: field.isEmpty ? prefix : "\(prefix).\(field)", message: message)
    }

    public var description: String { "field '\(field)': \(message)" }
}
