import QuantumCore

/// Leverage brackets that cannot be used, naming the symbol and the field at fault.
public struct LeverageBracketError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The document is not the `leverageBracket` shape (an array of `{symbol, brackets}`).
        case malformedDocument = "malformed_document"
        /// A symbol name is invalid or repeated.
        case invalidSymbol = "invalid_symbol"
        /// A field is missing, not a number, or out of range.
        case invalidField = "invalid_field"
        /// The tiers do not form one schedule: numbering, contiguity, leverage or rates out of order.
        case inconsistentBrackets = "inconsistent_brackets"
        /// The file could not be read.
        case unreadable
    }

    public var code: Code
    /// The symbol at fault, when one is.
    public var symbol: String?
    /// The field at fault (`brackets[2].notionalCap`), when one is.
    public var field: String?
    /// What is wrong, prefixed with the symbol and field.
    public var message: String

    public init(_ code: Code, symbol: String?, field: String?, _ detail: String) {
        self.code = code
        self.symbol = symbol
        self.field = field
        let place = [symbol, field].compactMap { $0 }.joined(separator: " ")
        self.message = place.isEmpty ? detail : "\(place): \(detail)"
    }
}
