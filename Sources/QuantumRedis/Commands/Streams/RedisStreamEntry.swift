import NIOCore

/// One entry of a stream: its ID and its field/value pairs in the order they were added.
public struct RedisStreamEntry: Sendable, Hashable {
    /// One field of an entry.
    public struct Field: Sendable, Hashable {
        /// The field name.
        public var name: String
        /// The field value, as bytes.
        public var value: ByteBuffer

        /// A field.
        public init(name: String, value: ByteBuffer) {
            self.name = name
            self.value = value
        }
    }

    /// The entry ID, `<milliseconds>-<sequence>`.
    public var id: String
    /// The fields in order; empty for an entry deleted while still pending (XADD never writes an empty entry).
    public var fields: [Field]

    /// An entry.
    public init(id: String, fields: [Field]) {
        self.id = id
        self.fields = fields
    }

    /// The value of the first field called `name`.
    public subscript(field name: String) -> ByteBuffer? {
        fields.first { $0.name == name }?.value
    }

    /// Whether the entry was deleted (XDEL, trimming) after delivery: `XREADGROUP` of history reports it without fields.
    public var isDeleted: Bool { fields.isEmpty }

    /// An entry from its reply form `[id, [field, value, ...]]` (the field list null when deleted).
    init(reply: RESPValue, command: String) throws {
        guard let parts = reply.array, parts.count == 2, let id = parts[0].string else {
            throw RedisError.unexpected(reply, from: command)
        }
        self.id = id
        if parts[1].isNull {
            fields = []
            return
        }
        guard let flat = parts[1].array, flat.count.isMultiple(of: 2) else { throw RedisError.unexpected(reply, from: command) }
        fields = try stride(from: 0, to: flat.count, by: 2).map { index in
            guard let name = flat[index].string, let value = flat[index + 1].bytes else {
                throw RedisError.unexpected(reply, from: command)
            }
            return Field(name: name, value: value)
        }
    }

    /// Entries from a reply listing them (`XRANGE`, one stream of `XREADGROUP`).
    static func list(_ reply: RESPValue, command: String) throws -> [RedisStreamEntry] {
        try reply.expectArray(command).map { try RedisStreamEntry(reply: $0, command: command) }
    }
}
