/// A configuration file whose content cannot be used: naming the file, line, key, the value found and what is allowed.
public struct ConfigurationError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The file is not TOML the reader accepts (see the message).
        case syntax
        /// A key or table the program does not know (a typo, usually).
        case unknownKey = "unknown_key"
        /// A value of the wrong type (a string where a number belongs, …).
        case wrongType = "wrong_type"
        /// A value of the right type outside its range or set.
        case outOfRange = "out_of_range"
        /// A key that must be present is not.
        case missing
    }

    public var code: Code
    public var file: String
    /// 1-based line; 0 when the file as a whole is at fault.
    public var line: Int
    /// The dotted key (`strategy.fast`), when one key is at fault.
    public var key: String?
    public var message: String

    public init(_ code: Code, file: String, line: Int, key: String?, _ detail: String) {
        self.code = code
        self.file = file
        self.line = line
        self.key = key
        message = fileLineMessage(file, line, detail)
    }

    /// A TOML reader's error as a configuration error.
    public init(_ error: TOMLError) {
        self.init(.syntax, file: error.file, line: error.line, key: nil, String(error.message.drop { $0 != " " }.dropFirst()))
        message = error.message
    }
}
