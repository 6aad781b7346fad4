/// An error from exact-money arithmetic or decimal parsing.
public struct MoneyError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The result does not fit the fixed-point range.
        case overflow
        /// A divisor was zero (a zero price, step or leverage).
        case divisionByZero = "division_by_zero"
        /// The text is not a plain decimal number.
        case malformedDecimal = "malformed_decimal"
        /// The text has more decimals than can be represented exactly.
        case tooManyDecimals = "too_many_decimals"
        /// A step or tick that is zero or negative.
        case invalidStep = "invalid_step"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
