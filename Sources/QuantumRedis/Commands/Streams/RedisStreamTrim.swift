/// How `XADD` or `XTRIM` trims a stream: `MAXLEN` or `MINID`, exact (`=`) or approximate (`~`).
public struct RedisStreamTrim: Sendable, Hashable {
    enum Strategy: Sendable, Hashable {
        case maxLength(Int)
        case minID(String)
    }

    let strategy: Strategy
    /// `~`: trim only whole macro nodes, much cheaper; the stream may keep a few more entries.
    public var approximate: Bool
    /// `LIMIT`: the most entries one approximate trim evicts; nil for the server default.
    public var limit: Int?

    /// Keep at most `count` entries (`MAXLEN`); approximate by default.
    public static func maxLength(_ count: Int, approximate: Bool = true, limit: Int? = nil) -> RedisStreamTrim {
        RedisStreamTrim(strategy: .maxLength(count), approximate: approximate, limit: limit)
    }

    /// Drop entries with IDs below `id` (`MINID`); approximate by default.
    public static func minID(_ id: String, approximate: Bool = true, limit: Int? = nil) -> RedisStreamTrim {
        RedisStreamTrim(strategy: .minID(id), approximate: approximate, limit: limit)
    }

    /// The trim's arguments, as they follow the key.
    var arguments: [RedisArgument] {
        var arguments: [RedisArgument]
        switch strategy {
        case .maxLength(let count): arguments = ["MAXLEN", approximate ? "~" : "=", .integer(count)]
        case .minID(let id): arguments = ["MINID", approximate ? "~" : "=", .string(id)]
        }
        if let limit { arguments += ["LIMIT", .integer(limit)] }
        return arguments
    }
}
