import QuantumCore

/// Bars a backtest cannot use as they are, naming the file and line (line 0: the file or directory as a whole).
public struct BacktestDataError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// No file of the symbol and interval in the directory, or the directory cannot be listed.
        case missingFile = "missing_file"
        /// A row is not a bar (bad header, column count, number, order, …): the CSV reader's error.
        case malformedRow = "malformed_row"
        /// Bars are missing between two rows and the gap policy is `error`.
        case gap
        /// Two files of one symbol cover the same minutes.
        case overlap
        /// The date window keeps no bar of the symbol.
        case emptyWindow = "empty_window"
    }

    public var code: Code
    /// The file at fault (its path as given).
    public var file: String
    /// 1-based line of the file; 0 when the whole file or directory is at fault.
    public var line: Int
    public var message: String

    public init(_ code: Code, file: String, line: Int, _ detail: String) {
        self.code = code
        self.file = file
        self.line = line
        message = fileLineMessage(file, line, detail)
    }
}
