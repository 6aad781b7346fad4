import QuantumCore
import QuantumRedis

/// The Lua scripts of the Redis state store, and the reading of their replies.
enum RedisStateScripts {
    /// KEYS: the expiry hash, then the keys. ARGV: the keys' names → per key {type, value or flat fields, expiry or false},
    /// all read at one instant.
    static let read = RedisScript("""
        local out = {}
        for i = 2, #KEYS do
          local t = redis.call('TYPE', KEYS[i])['ok']
          local expiry = redis.call('HGET', KEYS[1], ARGV[i - 1])
          if t == 'string' then out[i - 1] = {t, redis.call('GET', KEYS[i]), expiry}
          elseif t == 'hash' then out[i - 1] = {t, redis.call('HGETALL', KEYS[i]), expiry}
          else out[i - 1] = {t, false, expiry} end
        end
        return out
        """)

    /// KEYS: the expiry hash. ARGV: namespace, now → how many keys were deleted.
    static let purge = RedisScript("""
        local now = tonumber(ARGV[2])
        local all = redis.call('HGETALL', KEYS[1])
        local n = 0
        for i = 1, #all, 2 do
          if tonumber(all[i + 1]) <= now then
            redis.call('DEL', ARGV[1] .. all[i])
            redis.call('HDEL', KEYS[1], all[i])
            n = n + 1
          end
        end
        return n
        """)

    /// KEYS: the expiry hash. ARGV: namespace, prefix, reserved prefix, now → live string and hash keys (names without
    /// the namespace) starting with the prefix.
    static let keys = RedisScript("""
        local namespace, prefix, reserved, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
        local pattern = string.gsub(namespace .. prefix, '([%*%?%[%]\\\\])', '\\\\%1') .. '*'
        local out = {}
        for _, kind in ipairs({'string', 'hash'}) do
          local cursor = '0'
          repeat
            local page = redis.call('SCAN', cursor, 'MATCH', pattern, 'COUNT', 1000, 'TYPE', kind)
            cursor = page[1]
            for _, key in ipairs(page[2]) do
              if string.sub(key, 1, #reserved) ~= reserved then
                local name = string.sub(key, #namespace + 1)
                local expiry = redis.call('HGET', KEYS[1], name)
                if not expiry or tonumber(expiry) > now then out[#out + 1] = name end
              end
            end
          until cursor == '0'
        end
        return out
        """)

    /// The `read` script's call for `keys` (names without the namespace), in their order.
    static func read(_ keys: [String], names: RedisBusNames) -> RedisCommand {
        .evalsha(read, keys: [names.expiries] + keys.map(names.key), arguments: keys.map { .string($0) })
    }

    /// The slots in a `read` reply of `keys` (in the order read), absent keys left out.
    static func slots(_ reply: RESPValue, keys: [String]) throws -> [String: StateSlot] {
        guard let parts = reply.array, parts.count == keys.count else {
            throw StateStoreError(.backendFailure, "Redis replied \(reply) reading \(keys.count) keys")
        }
        var slots: [String: StateSlot] = [:]
        for (key, part) in zip(keys, parts) {
            if let slot = try slot(part, key: key) { slots[key] = slot }
        }
        return slots
    }

    /// The slot of one key in a `read` reply; nil for an absent key; `.wrongType` for a key of another Redis type (a stream).
    static func slot(_ reply: RESPValue, key: String) throws -> StateSlot? {
        guard let parts = reply.array, parts.count >= 1, let type = parts[0].string else {
            throw StateStoreError(.backendFailure, "Redis replied \(reply) reading \(key)")
        }
        let expiry = parts.count > 2 ? parts[2].string.flatMap { Int64($0) }.map { EpochMillis(rawValue: $0) } : nil
        switch type {
        case "none": return nil
        case "string":
            guard parts.count > 1, let value = parts[1].string else { throw StateStoreError(.backendFailure, "no value for \(key)") }
            return StateSlot(value: .string(value), expiresAt: expiry)
        case "hash":
            guard parts.count > 1, let flat = parts[1].array, flat.count % 2 == 0 else {
                throw StateStoreError(.backendFailure, "no fields for \(key)")
            }
            var fields: [String: String] = [:]
            for index in stride(from: 0, to: flat.count, by: 2) {
                guard let name = flat[index].string, let value = flat[index + 1].string else {
                    throw StateStoreError(.backendFailure, "a field of \(key) is not text")
                }
                fields[name] = value
            }
            return StateSlot(value: .hash(fields), expiresAt: expiry)
        default:
            throw StateStoreError(.wrongType, "\(key) holds a Redis \(type), not a string or a hash")
        }
    }
}
