import QuantumCore
import QuantumRedis

/// Reads the replies of the event log's commands and scripts; a reply of another shape is a `.backendFailure`.
enum RedisStreamReply {
    static func malformed(_ reply: RESPValue, _ what: String) -> EventLogError {
        EventLogError(.backendFailure, "Redis replied \(reply) where \(what) was expected")
    }

    static func integer(_ reply: RESPValue) throws -> Int {
        guard let value = reply.int else { throw malformed(reply, "an integer") }
        return value
    }

    static func id(_ reply: RESPValue) throws -> EntryID {
        guard let text = reply.string, let id = EntryID(text) else { throw malformed(reply, "an entry id") }
        return id
    }

    /// Stream fields from a flat name, value list; the placeholder pair of an entry appended with no fields reads as none.
    static func fields(_ reply: RESPValue) throws -> [String: String] {
        guard let values = reply.array, values.count % 2 == 0 else { throw malformed(reply, "entry fields") }
        var fields: [String: String] = [:]
        for index in stride(from: 0, to: values.count, by: 2) {
            guard let name = values[index].string, let value = values[index + 1].string else { throw malformed(reply, "entry fields") }
            fields[name] = value
        }
        if fields == ["": ""] { return [:] }
        return fields
    }

    /// One entry: `[id, [field, value, …]]`.
    static func entry(_ reply: RESPValue) throws -> StreamEntry {
        guard let parts = reply.array, parts.count >= 2 else { throw malformed(reply, "a stream entry") }
        return StreamEntry(id: try id(parts[0]), fields: try fields(parts[1]))
    }

    /// A list of entries (a null reply is none).
    static func entries(_ reply: RESPValue) throws -> [StreamEntry] {
        if reply.isNull { return [] }
        guard let values = reply.array else { throw malformed(reply, "stream entries") }
        return try values.map(entry)
    }

    /// The claim script's `[id, fields, deliveries]` rows.
    static func claimed(_ reply: RESPValue) throws -> [Delivery] {
        guard let rows = reply.array else { throw malformed(reply, "claimed entries") }
        return try rows.map { row in
            guard let parts = row.array, parts.count == 3 else { throw malformed(row, "a claimed entry") }
            return Delivery(entry: StreamEntry(id: try id(parts[0]), fields: try fields(parts[1])), deliveryCount: try integer(parts[2]))
        }
    }

    /// The pending script's `[id, consumer, delivered at, deliveries, server idle]` rows, with idle times at `now`.
    static func pending(_ reply: RESPValue, now: EpochMillis) throws -> [PendingEntry] {
        guard let rows = reply.array else { throw malformed(reply, "pending entries") }
        return try rows.map { row in
            guard let parts = row.array, parts.count == 5, let consumer = parts[1].string else { throw malformed(row, "a pending entry") }
            let idle: Duration = if let text = parts[2].string, let at = Int64(text) {
                max(.zero, now.duration(since: EpochMillis(at)))
            } else {
                .milliseconds(try integer(parts[4]))
            }
            return PendingEntry(id: try id(parts[0]), consumer: consumer, idle: idle, deliveryCount: try integer(parts[3]))
        }
    }

    /// The groups script's `[name, lag, pending, last delivered id]` rows.
    static func groups(_ reply: RESPValue) throws -> [GroupInfo] {
        guard let rows = reply.array else { throw malformed(reply, "consumer groups") }
        return try rows.map { row in
            guard let parts = row.array, parts.count == 4, let name = parts[0].string else { throw malformed(row, "a consumer group") }
            return GroupInfo(name: name, lag: try integer(parts[1]), pending: try integer(parts[2]), lastDeliveredID: try id(parts[3]))
        }
    }
}

extension EventLogError {
    /// The event log's error for a Redis failure: a missing group or entry by its code, anything else a backend failure.
    init(redis error: RedisError) {
        switch error.serverErrorKind {
        case "NOGROUP": self.init(.noSuchGroup, error.message)
        case "NOTPENDING": self.init(.notPending, error.message)
        default: self.init(.backendFailure, "Redis: \(error)")
        }
    }
}
