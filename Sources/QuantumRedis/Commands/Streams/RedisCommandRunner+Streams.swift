extension RedisCommandRunner {
    /// `XADD`: appends an entry, optionally trimming the stream, and returns its ID.
    @discardableResult
    public func xadd(_ stream: String, id: String = "*", fields: [(name: String, value: RedisArgument)],
                     trim: RedisStreamTrim? = nil) async throws -> String {
        try await send(.xadd(stream, id: id, fields: fields, trim: trim)).expectString("XADD")
    }

    /// `XREADGROUP` on several streams: the entries read per stream; empty when `block` passed with nothing new.
    ///
    /// ID `>` reads new entries; any other ID re-reads this consumer's pending history from there.
    public func xreadgroup(group: String, consumer: String, streams: [(key: String, id: String)], count: Int? = nil,
                           block: Duration? = nil, noAck: Bool = false) async throws -> [String: [RedisStreamEntry]] {
        let reply = try await send(
            .xreadgroup(group: group, consumer: consumer, streams: streams, count: count, block: block, noAck: noAck)
        )
        if reply.isNull { return [:] }
        // RESP2: [[stream, entries], ...]; RESP3: a map stream -> entries.
        let perStream: [(key: RESPValue, value: RESPValue)]
        if case .map(let pairs) = reply {
            perStream = pairs
        } else {
            perStream = try reply.expectArray("XREADGROUP").map { item in
                guard let pair = item.array, pair.count == 2 else { throw RedisError.unexpected(reply, from: "XREADGROUP") }
                return (key: pair[0], value: pair[1])
            }
        }
        var result: [String: [RedisStreamEntry]] = [:]
        for (key, entries) in perStream {
            result[try key.expectString("XREADGROUP"), default: []] += try RedisStreamEntry.list(entries, command: "XREADGROUP")
        }
        return result
    }

    /// `XREADGROUP` on one stream: the entries read, empty when `block` passed with nothing new.
    public func xreadgroup(group: String, consumer: String, stream: String, id: String = ">", count: Int? = nil,
                           block: Duration? = nil, noAck: Bool = false) async throws -> [RedisStreamEntry] {
        try await xreadgroup(group: group, consumer: consumer, streams: [(stream, id)], count: count, block: block, noAck: noAck)[
            stream
        ] ?? []
    }

    /// `XACK`: how many of the IDs were pending in the group and are now acknowledged.
    @discardableResult
    public func xack(_ stream: String, group: String, ids: [String]) async throws -> Int {
        try await send(.xack(stream, group: group, ids: ids)).expectInt("XACK")
    }

    /// `XAUTOCLAIM`: moves entries idle for at least `minIdle` to `consumer` and returns them.
    public func xautoclaim(_ stream: String, group: String, consumer: String, minIdle: Duration, start: String = "0-0",
                           count: Int? = nil) async throws -> RedisAutoClaim {
        let reply = try await send(
            .xautoclaim(stream, group: group, consumer: consumer, minIdle: minIdle, start: start, count: count)
        )
        let parts = try reply.expectArray("XAUTOCLAIM")
        guard parts.count == 2 || parts.count == 3 else { throw RedisError.unexpected(reply, from: "XAUTOCLAIM") }
        // Entries deleted from the stream come back as [id, nil] before Redis 7, and in the third element after.
        return RedisAutoClaim(
            nextStart: try parts[0].expectString("XAUTOCLAIM"),
            entries: try RedisStreamEntry.list(parts[1], command: "XAUTOCLAIM"),
            deletedIDs: parts.count == 3 ? try parts[2].expectArray("XAUTOCLAIM").map { try $0.expectString("XAUTOCLAIM") } : []
        )
    }

    /// `XPENDING` (extended form): up to `count` pending entries between `start` and `end`, oldest first.
    public func xpending(_ stream: String, group: String, idle: Duration? = nil, start: String = "-", end: String = "+",
                         count: Int, consumer: String? = nil) async throws -> [RedisPendingEntry] {
        let reply = try await send(
            .xpending(stream, group: group, idle: idle, start: start, end: end, count: count, consumer: consumer)
        )
        return try reply.expectArray("XPENDING").map { item in
            guard let fields = item.array, fields.count == 4, let id = fields[0].string, let consumer = fields[1].string,
                let idle = fields[2].int, let deliveries = fields[3].int
            else { throw RedisError.unexpected(item, from: "XPENDING") }
            return RedisPendingEntry(id: id, consumer: consumer, idle: .milliseconds(idle), deliveries: deliveries)
        }
    }

    /// `XPENDING` (summary form): how many entries are pending, their ID range, and per consumer.
    public func xpendingSummary(_ stream: String, group: String) async throws -> RedisPendingSummary {
        let reply = try await send(.xpendingSummary(stream, group: group))
        let parts = try reply.expectArray("XPENDING")
        guard parts.count == 4, let count = parts[0].int else { throw RedisError.unexpected(reply, from: "XPENDING") }
        var consumers: [String: Int] = [:]
        for item in parts[3].array ?? [] {
            guard let pair = item.array, pair.count == 2, let name = pair[0].string, let pending = pair[1].int else {
                throw RedisError.unexpected(reply, from: "XPENDING")
            }
            consumers[name] = pending
        }
        return RedisPendingSummary(count: count, smallestID: parts[1].string, largestID: parts[2].string, consumers: consumers)
    }
}
