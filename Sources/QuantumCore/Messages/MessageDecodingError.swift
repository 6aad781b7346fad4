/// Why a stream entry could not be decoded into a typed message; names the offending field.
///
/// Consumers dead-letter the entry with this as the reason (invariant 8): nothing is defaulted.
public struct MessageDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// A required field is absent.
        case missingField = "missing_field"
        /// A field is present but its value is not allowed (bad number, unknown enum word, inconsistent).
        case invalidValue = "invalid_value"
        /// The `type` field names no known message type.
        case unknownType = "unknown_type"
        /// The `v` field names a schema version this build does not read.
        case unsupportedVersion = "unsupported_version"
        /// The entry is a valid message of another type than the one asked for.
        case wrongType = "wrong_type"
    }

    public var code: Code
    /// The field at fault (`symbol`, `stop_loss`, …).
    public var field: String
    public var message: String

    public init(_ code: Code, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "\(code.rawValue) [\(field)]: \(message)" }
}
