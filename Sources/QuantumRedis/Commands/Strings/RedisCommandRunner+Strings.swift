import NIOCore

/// Whether `SET` writes depending on whether the key exists.
public enum RedisSetCondition: Sendable, Hashable {
    /// Always write.
    case always
    /// `NX`: only if the key does not exist (a lock, an idempotency marker).
    case ifNotExists
    /// `XX`: only if the key exists.
    case ifExists
}

extension RedisCommand {
    /// `SET key value [NX|XX] [PX ms]`.
    public static func set(_ key: String, value: RedisArgument, condition: RedisSetCondition = .always,
                           expiry: Duration? = nil) -> RedisCommand {
        var arguments: [RedisArgument] = [.string(key), value]
        switch condition {
        case .always: break
        case .ifNotExists: arguments.append("NX")
        case .ifExists: arguments.append("XX")
        }
        if let expiry { arguments += ["PX", .integer(max(expiry.milliseconds, 1))] }
        return RedisCommand("SET", arguments)
    }

    /// `GET key`.
    public static func get(_ key: String) -> RedisCommand { RedisCommand("GET", [.string(key)]) }

    /// `DEL key [key ...]`.
    public static func del(_ keys: [String]) -> RedisCommand { RedisCommand("DEL", keys.map { RedisArgument.string($0) }) }
}

extension RedisCommandRunner {
    /// `SET`: true if the value was written, false if the condition (`NX`/`XX`) prevented it.
    @discardableResult
    public func set(_ key: String, value: RedisArgument, condition: RedisSetCondition = .always,
                    expiry: Duration? = nil) async throws -> Bool {
        let reply = try await send(.set(key, value: value, condition: condition, expiry: expiry))
        if reply.isNull { return false }
        guard reply.string == "OK" else { throw RedisError.unexpected(reply, from: "SET") }
        return true
    }

    /// `GET`: the value's bytes, nil if the key does not exist.
    public func get(_ key: String) async throws -> ByteBuffer? {
        let reply = try await send(.get(key))
        if reply.isNull { return nil }
        guard let bytes = reply.bytes else { throw RedisError.unexpected(reply, from: "GET") }
        return bytes
    }

    /// `DEL`: how many of the keys existed and were removed.
    @discardableResult
    public func del(_ keys: String...) async throws -> Int {
        try await send(.del(keys)).expectInt("DEL")
    }
}
