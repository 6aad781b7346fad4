import NIOCore

extension RedisCommand {
    /// `HSET key field value [field value ...]`.
    public static func hset(_ key: String, fields: [(name: String, value: RedisArgument)]) -> RedisCommand {
        RedisCommand("HSET", [.string(key)] + fields.flatMap { [RedisArgument.string($0.name), $0.value] })
    }

    /// `HGET key field`.
    public static func hget(_ key: String, field: String) -> RedisCommand {
        RedisCommand("HGET", [.string(key), .string(field)])
    }

    /// `HGETALL key`.
    public static func hgetall(_ key: String) -> RedisCommand { RedisCommand("HGETALL", [.string(key)]) }

    /// `HDEL key field [field ...]`.
    public static func hdel(_ key: String, fields: [String]) -> RedisCommand {
        RedisCommand("HDEL", [.string(key)] + fields.map { RedisArgument.string($0) })
    }
}

extension RedisCommandRunner {
    /// `HSET`: how many of the fields were new (updated ones are not counted).
    @discardableResult
    public func hset(_ key: String, fields: [(name: String, value: RedisArgument)]) async throws -> Int {
        try await send(.hset(key, fields: fields)).expectInt("HSET")
    }

    /// `HGET`: the field's bytes, nil if the key or field does not exist.
    public func hget(_ key: String, field: String) async throws -> ByteBuffer? {
        let reply = try await send(.hget(key, field: field))
        if reply.isNull { return nil }
        guard let bytes = reply.bytes else { throw RedisError.unexpected(reply, from: "HGET") }
        return bytes
    }

    /// `HGETALL`: every field and its bytes; empty if the key does not exist.
    public func hgetall(_ key: String) async throws -> [String: ByteBuffer] {
        let reply = try await send(.hgetall(key))
        guard let pairs = reply.map else { throw RedisError.unexpected(reply, from: "HGETALL") }
        var fields: [String: ByteBuffer] = [:]
        for pair in pairs {
            guard let name = pair.key.string, let value = pair.value.bytes else {
                throw RedisError.unexpected(reply, from: "HGETALL")
            }
            fields[name] = value
        }
        return fields
    }

    /// `HDEL`: how many of the fields existed and were removed.
    @discardableResult
    public func hdel(_ key: String, fields: String...) async throws -> Int {
        try await send(.hdel(key, fields: fields)).expectInt("HDEL")
    }
}
