import NIOCore

/// One argument of a command: text, raw bytes or an integer, all sent as bulk strings.
///
/// Literals work directly: `RedisCommand("EXPIRE", ["key", 10])`.
public struct RedisArgument: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringInterpolation,
    ExpressibleByIntegerLiteral
{
    enum Storage: Sendable, Hashable {
        case string(String)
        case bytes(ByteBuffer)
        case integer(Int64)
    }

    let storage: Storage

    /// Text, sent as its UTF-8 bytes.
    public init(_ string: String) { storage = .string(string) }
    /// Raw bytes, sent as they are.
    public init(_ bytes: ByteBuffer) { storage = .bytes(bytes) }
    /// An integer, sent in decimal.
    public init(_ integer: some BinaryInteger) {
        if let value = Int64(exactly: integer) { storage = .integer(value) } else { storage = .string(String(integer)) }
    }

    public init(stringLiteral value: String) { self.init(value) }
    public init(integerLiteral value: Int64) { self.init(value) }

    /// Text, sent as its UTF-8 bytes.
    public static func string(_ string: String) -> RedisArgument { RedisArgument(string) }
    /// Raw bytes, sent as they are.
    public static func bytes(_ bytes: ByteBuffer) -> RedisArgument { RedisArgument(bytes) }
    /// An integer, sent in decimal.
    public static func integer(_ integer: some BinaryInteger) -> RedisArgument { RedisArgument(integer) }

    public var description: String {
        switch storage {
        case .string(let text): text
        case .bytes(let bytes): String(buffer: bytes)
        case .integer(let value): String(value)
        }
    }
}
