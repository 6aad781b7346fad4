extension RedisCommandRunner {
    /// `XGROUP CREATE`: creates a consumer group reading from `id` (`$`: only new entries, `0`: everything).
    ///
    /// Returns false instead of throwing `BUSYGROUP` when the group exists and `existingOK` is set.
    @discardableResult
    public func xgroupCreate(_ stream: String, group: String, id: String = "$", makeStream: Bool = false,
                             existingOK: Bool = false) async throws -> Bool {
        do {
            _ = try await send(.xgroupCreate(stream, group: group, id: id, makeStream: makeStream))
            return true
        } catch let error as RedisError where existingOK && error.serverErrorKind == "BUSYGROUP" {
            return false
        }
    }

    /// `XGROUP SETID`: moves the group's last-delivered ID.
    public func xgroupSetID(_ stream: String, group: String, id: String) async throws {
        _ = try await send(.xgroupSetID(stream, group: group, id: id))
    }

    /// `XINFO GROUPS`: one field map per group (`name`, `consumers`, `pending`, `last-delivered-id`, `lag`...).
    public func xinfoGroups(_ stream: String) async throws -> [[String: RESPValue]] {
        let reply = try await send(.xinfoGroups(stream))
        return try reply.expectArray("XINFO GROUPS").map { group in
            guard let fields = group.fields else { throw RedisError.unexpected(group, from: "XINFO GROUPS") }
            return fields
        }
    }

    /// `XINFO STREAM`: the stream's fields (`length`, `last-generated-id`, `groups`, `first-entry`...).
    public func xinfoStream(_ stream: String) async throws -> [String: RESPValue] {
        let reply = try await send(.xinfoStream(stream))
        guard let fields = reply.fields else { throw RedisError.unexpected(reply, from: "XINFO STREAM") }
        return fields
    }

    /// `XTRIM`: how many entries were removed.
    @discardableResult
    public func xtrim(_ stream: String, _ trim: RedisStreamTrim) async throws -> Int {
        try await send(.xtrim(stream, trim)).expectInt("XTRIM")
    }

    /// `XRANGE`: entries from `start` to `end` inclusive (`-`/`+` for the ends; `(id` for exclusive), oldest first.
    public func xrange(_ stream: String, start: String = "-", end: String = "+", count: Int? = nil) async throws
        -> [RedisStreamEntry]
    {
        try RedisStreamEntry.list(try await send(.xrange(stream, start: start, end: end, count: count)), command: "XRANGE")
    }

    /// `XREVRANGE`: entries from `end` down to `start`, newest first.
    public func xrevrange(_ stream: String, end: String = "+", start: String = "-", count: Int? = nil) async throws
        -> [RedisStreamEntry]
    {
        try RedisStreamEntry.list(try await send(.xrevrange(stream, end: end, start: start, count: count)), command: "XREVRANGE")
    }

    /// `XLEN`: the number of entries; 0 if the stream does not exist.
    public func xlen(_ stream: String) async throws -> Int {
        try await send(.xlen(stream)).expectInt("XLEN")
    }
}
