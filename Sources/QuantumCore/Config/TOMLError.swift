/// A TOML file that cannot be read exactly, naming the file and the line (1-based; 0 for the whole file).
public struct TOMLError: CodedError, Hashable, Sendable {
    /// What kind of problem the file has.
    public enum Code: String, Hashable, Sendable {
        /// The file could not be read, or is not UTF-8 text.
        case unreadable
        /// The text is not TOML: a stray character, a bad escape, an unterminated string or array.
        case syntax
        /// A key or table is defined twice, or a key is used both as a value and as a table.
        case duplicateKey = "duplicate_key"
        /// Valid TOML outside the supported subset: multi-line strings, dates, arrays of tables, hex integers.
        case unsupported
        /// A well-formed number that cannot be represented: an integer beyond `Int64`, `inf` or `nan`.
        case badValue = "bad_value"
    }

    /// What kind of problem it is.
    public var code: Code
    /// The name of the file, as given to the reader.
    public var file: String
    /// The 1-based line of the problem; 0 when the error is about the whole file.
    public var line: Int
    /// What is wrong, prefixed with where: `qt-ema.toml:12: duplicate key 'fast' (first on line 9)`.
    public var message: String

    /// An error at `line` of `file` (0 for the whole file), with `detail` saying what is wrong.
    public init(_ code: Code, file: String, line: Int, _ detail: String) {
        self.code = code
        self.file = file
        self.line = line
        self.message = fileLineMessage(file, line, detail)
    }
}
