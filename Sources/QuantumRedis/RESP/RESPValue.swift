import NIOCore

/// One value of the Redis serialization protocol, RESP2 or RESP3.
///
/// RESP3 attributes (`|`) are metadata the decoder skips, so they have no case here.
public enum RESPValue: Sendable {
    /// `+OK`: a short text reply.
    case simpleString(String)
    /// `-ERR ...` or the RESP3 blob error `!`: an error reply, kept as a value inside arrays (EXEC, pipelines).
    case error(String)
    /// `:42`: a signed 64-bit integer.
    case integer(Int64)
    /// `$5 hello`: binary-safe bytes; nil for the RESP2 null bulk string `$-1`.
    case bulkString(ByteBuffer?)
    /// `*2 ...`: an ordered list; nil for the RESP2 null array `*-1`.
    case array([RESPValue]?)
    /// `_`: the RESP3 null.
    case null
    /// `,3.14`: a RESP3 double (including `inf`, `-inf`, `nan`).
    case double(Double)
    /// `#t` / `#f`: a RESP3 boolean.
    case boolean(Bool)
    /// `(1234...`: a RESP3 integer too large for 64 bits, as its decimal digits.
    case bigNumber(String)
    /// `=15 txt:Some string`: a RESP3 string with a three-letter format (`txt`, `mkd`).
    case verbatimString(format: String, ByteBuffer)
    /// `%2 ...`: a RESP3 map, as ordered key/value pairs (keys need not be strings or unique).
    case map([(key: RESPValue, value: RESPValue)])
    /// `~3 ...`: a RESP3 set, in the order received.
    case set([RESPValue])
    /// `>3 ...`: a RESP3 out-of-band push (invalidation, pub/sub message).
    case push([RESPValue])
}

extension RESPValue: Equatable {
    public static func == (lhs: RESPValue, rhs: RESPValue) -> Bool {
        switch (lhs, rhs) {
        case let (.simpleString(a), .simpleString(b)): a == b
        case let (.error(a), .error(b)): a == b
        case let (.integer(a), .integer(b)): a == b
        case let (.bulkString(a), .bulkString(b)): a == b
        case let (.array(a), .array(b)): a == b
        case (.null, .null): true
        case let (.double(a), .double(b)): a == b || (a.isNaN && b.isNaN)
        case let (.boolean(a), .boolean(b)): a == b
        case let (.bigNumber(a), .bigNumber(b)): a == b
        case let (.verbatimString(f1, a), .verbatimString(f2, b)): f1 == f2 && a == b
        case let (.map(a), .map(b)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.set(a), .set(b)): a == b
        case let (.push(a), .push(b)): a == b
        default: false
        }
    }
}

extension RESPValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .simpleString(let text): "+\(text)"
        case .error(let text): "-\(text)"
        case .integer(let value): ":\(value)"
        case .bulkString(nil), .array(nil), .null: "(nil)"
        case .bulkString(let bytes?): "\"\(String(buffer: bytes))\""
        case .array(let values?): "[\(values.map(\.description).joined(separator: ", "))]"
        case .double(let value): ",\(value)"
        case .boolean(let value): "#\(value ? "t" : "f")"
        case .bigNumber(let digits): "(\(digits)"
        case .verbatimString(let format, let bytes): "\(format):\"\(String(buffer: bytes))\""
        case .map(let pairs): "{\(pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", "))}"
        case .set(let values): "~[\(values.map(\.description).joined(separator: ", "))]"
        case .push(let values): ">[\(values.map(\.description).joined(separator: ", "))]"
        }
    }
}
