import QuantumCore

/// A backtest that cannot run or finish: bad data, bad configuration, or arithmetic beyond range.
public struct BacktestError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The data cannot be used (see the message for file and line).
        case data
        /// The configuration cannot work.
        case configuration
        /// Exact arithmetic left its range (amounts beyond 92 billion units).
        case arithmetic
        /// The report could not be written.
        case output
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
