import NIOCore

extension RESPValue {
    /// True for every null form: `$-1`, `*-1` and RESP3 `_`.
    public var isNull: Bool {
        switch self {
        case .null, .bulkString(nil), .array(nil): true
        default: false
        }
    }

    /// The bytes of a bulk, simple or verbatim string (or the text of a number); nil otherwise.
    public var bytes: ByteBuffer? {
        switch self {
        case .bulkString(let bytes?), .verbatimString(_, let bytes): bytes
        case .simpleString(let text), .bigNumber(let text): ByteBuffer(string: text)
        case .integer(let value): ByteBuffer(string: String(value))
        default: nil
        }
    }

    /// The value as text: strings decoded as UTF-8, integers and doubles in decimal; nil for other kinds.
    public var string: String? {
        switch self {
        case .simpleString(let text), .bigNumber(let text): text
        case .bulkString(let bytes?), .verbatimString(_, let bytes): String(buffer: bytes)
        case .integer(let value): String(value)
        case .double(let value): String(value)
        default: nil
        }
    }

    /// The value as an integer: `:n` replies, and strings holding a decimal integer (Redis returns counts both ways).
    public var int: Int? {
        switch self {
        case .integer(let value): Int(exactly: value)
        case .boolean(let value): value ? 1 : 0
        case .simpleString, .bulkString, .bigNumber: string.flatMap { Int($0) }
        default: nil
        }
    }

    /// The value as a double: RESP3 doubles, integers, and strings holding a number (`ZSCORE` in RESP2).
    public var double: Double? {
        switch self {
        case .double(let value): value
        case .integer(let value): Double(value)
        case .simpleString, .bulkString: string.flatMap { Double($0) }
        default: nil
        }
    }

    /// The value as a boolean: RESP3 booleans and the integers 0 and 1 (RESP2's encoding of booleans).
    public var bool: Bool? {
        switch self {
        case .boolean(let value): value
        case .integer(0): false
        case .integer(1): true
        default: nil
        }
    }

    /// The elements of an array, set or push; nil for null and other kinds.
    public var array: [RESPValue]? {
        switch self {
        case .array(let values?), .set(let values), .push(let values): values
        default: nil
        }
    }

    /// Key/value pairs: a RESP3 map, or a RESP2 array of alternating keys and values (how `HGETALL` and `XINFO` reply).
    ///
    /// Nil for other kinds and for arrays with an odd number of elements.
    public var map: [(key: RESPValue, value: RESPValue)]? {
        switch self {
        case .map(let pairs):
            return pairs
        case .array(let values?) where values.count.isMultiple(of: 2):
            return stride(from: 0, to: values.count, by: 2).map { (key: values[$0], value: values[$0 + 1]) }
        default:
            return nil
        }
    }

    /// `map` keyed by the keys' text, for replies whose keys are field names (`XINFO`, `HGETALL`); later duplicates win.
    public var fields: [String: RESPValue]? {
        guard let pairs = map else { return nil }
        var result: [String: RESPValue] = [:]
        for pair in pairs {
            guard let key = pair.key.string else { return nil }
            result[key] = pair.value
        }
        return result
    }

    /// The text of an error reply; nil for other kinds.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}
