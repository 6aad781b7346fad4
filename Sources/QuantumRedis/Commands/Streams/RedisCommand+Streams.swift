extension RedisCommand {
    /// The `blockingFor` of `BLOCK 0`, which waits until an entry arrives: long enough to never time out first.
    static let blockingForever = Duration.seconds(100 * 365 * 86_400)

    /// `XADD key [MAXLEN|MINID ...] id field value [field value ...]`.
    public static func xadd(_ stream: String, id: String = "*", fields: [(name: String, value: RedisArgument)],
                            trim: RedisStreamTrim? = nil) -> RedisCommand {
        var arguments: [RedisArgument] = [.string(stream)]
        if let trim { arguments += trim.arguments }
        arguments.append(.string(id))
        for field in fields { arguments += [.string(field.name), field.value] }
        return RedisCommand("XADD", arguments)
    }

    /// `XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...`.
    ///
    /// `block` nil returns at once; `.zero` blocks until an entry arrives. The command's `blockingFor` covers the block.
    public static func xreadgroup(group: String, consumer: String, streams: [(key: String, id: String)],
                                  count: Int? = nil, block: Duration? = nil, noAck: Bool = false) -> RedisCommand {
        var arguments: [RedisArgument] = ["GROUP", .string(group), .string(consumer)]
        if let count { arguments += ["COUNT", .integer(count)] }
        if let block { arguments += ["BLOCK", .integer(block.milliseconds)] }
        if noAck { arguments.append("NOACK") }
        arguments.append("STREAMS")
        arguments += streams.map { .string($0.key) }
        arguments += streams.map { .string($0.id) }
        let blocking = block.map { $0 == .zero ? blockingForever : $0 }
        return RedisCommand("XREADGROUP", arguments, blockingFor: blocking)
    }

    /// `XACK key group id [id ...]`.
    public static func xack(_ stream: String, group: String, ids: [String]) -> RedisCommand {
        RedisCommand("XACK", [.string(stream), .string(group)] + ids.map { RedisArgument.string($0) })
    }

    /// `XAUTOCLAIM key group consumer min-idle-time start [COUNT n]`.
    public static func xautoclaim(_ stream: String, group: String, consumer: String, minIdle: Duration,
                                  start: String = "0-0", count: Int? = nil) -> RedisCommand {
        var arguments: [RedisArgument] = [
            .string(stream), .string(group), .string(consumer), .integer(minIdle.milliseconds), .string(start),
        ]
        if let count { arguments += ["COUNT", .integer(count)] }
        return RedisCommand("XAUTOCLAIM", arguments)
    }

    /// `XPENDING key group [IDLE ms] start end count [consumer]`: the extended form.
    public static func xpending(_ stream: String, group: String, idle: Duration? = nil, start: String = "-",
                                end: String = "+", count: Int, consumer: String? = nil) -> RedisCommand {
        var arguments: [RedisArgument] = [.string(stream), .string(group)]
        if let idle { arguments += ["IDLE", .integer(idle.milliseconds)] }
        arguments += [.string(start), .string(end), .integer(count)]
        if let consumer { arguments.append(.string(consumer)) }
        return RedisCommand("XPENDING", arguments)
    }

    /// `XPENDING key group`: the summary form.
    public static func xpendingSummary(_ stream: String, group: String) -> RedisCommand {
        RedisCommand("XPENDING", [.string(stream), .string(group)])
    }

    /// `XGROUP CREATE key group id [MKSTREAM]`.
    public static func xgroupCreate(_ stream: String, group: String, id: String = "$", makeStream: Bool = false) -> RedisCommand {
        RedisCommand("XGROUP", ["CREATE", .string(stream), .string(group), .string(id)] + (makeStream ? ["MKSTREAM"] : []))
    }

    /// `XGROUP SETID key group id`.
    public static func xgroupSetID(_ stream: String, group: String, id: String) -> RedisCommand {
        RedisCommand("XGROUP", ["SETID", .string(stream), .string(group), .string(id)])
    }

    /// `XINFO GROUPS key`.
    public static func xinfoGroups(_ stream: String) -> RedisCommand { RedisCommand("XINFO", ["GROUPS", .string(stream)]) }

    /// `XINFO STREAM key`.
    public static func xinfoStream(_ stream: String) -> RedisCommand { RedisCommand("XINFO", ["STREAM", .string(stream)]) }

    /// `XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT n]`.
    public static func xtrim(_ stream: String, _ trim: RedisStreamTrim) -> RedisCommand {
        RedisCommand("XTRIM", [.string(stream)] + trim.arguments)
    }

    /// `XRANGE key start end [COUNT n]`.
    public static func xrange(_ stream: String, start: String = "-", end: String = "+", count: Int? = nil) -> RedisCommand {
        RedisCommand("XRANGE", [.string(stream), .string(start), .string(end)] + (count.map { ["COUNT", .integer($0)] } ?? []))
    }

    /// `XREVRANGE key end start [COUNT n]`: newest first.
    public static func xrevrange(_ stream: String, end: String = "+", start: String = "-", count: Int? = nil) -> RedisCommand {
        RedisCommand("XREVRANGE", [.string(stream), .string(end), .string(start)] + (count.map { ["COUNT", .integer($0)] } ?? []))
    }

    /// `XLEN key`.
    public static func xlen(_ stream: String) -> RedisCommand { RedisCommand("XLEN", [.string(stream)]) }
}
