import QuantumCore
import QuantumRedis

/// The slots of the keys one state-store call touches, read from Redis under `WATCH`, changed in memory by the
/// shared store semantics (`StateSlots`), and written back in one `MULTI`/`EXEC`.
///
/// So the Redis store has the same semantics as the memory and SQLite ones, written once; a call that throws writes
/// nothing, and a call whose keys changed meanwhile is run again.
struct RedisStateSlots: StateSlots {
    private var slots: [String: StateSlot]
    private(set) var changed: Set<String> = []

    func slot(_ key: String) throws -> StateSlot? {
        guard let slot = slots[key] else {
            if !loaded(key) { throw StateStoreError(.backendFailure, "\(key) was not read before the update") }
            return nil
        }
        return slot
    }

    mutating func store(_ key: String, _ slot: StateSlot?) throws {
        guard loaded(key) else { throw StateStoreError(.backendFailure, "\(key) was not read before the update") }
        slots[key] = slot
        changed.insert(key)
    }

    private var loadedKeys: Set<String> = []
    private func loaded(_ key: String) -> Bool { loadedKeys.contains(key) }

    /// Slots for `keys`, those absent from `loaded` being absent in Redis.
    init(keys: Set<String>, loaded: [String: StateSlot]) {
        slots = loaded
        loadedKeys = keys
    }

    /// The commands that write the changed slots (a key and its expiry entry).
    func writes(names: RedisBusNames) -> [RedisCommand] {
        var commands: [RedisCommand] = []
        for key in changed.sorted() {
            let redisKey = names.key(key)
            commands.append(RedisCommand("DEL", [.string(redisKey)]))
            guard let slot = slots[key] else {
                commands.append(RedisCommand("HDEL", [.string(names.expiries), .string(key)]))
                continue
            }
            switch slot.value {
            case .string(let value):
                commands.append(RedisCommand("SET", [.string(redisKey), .string(value)]))
            case .hash(let fields):
                var arguments: [RedisArgument] = [.string(redisKey)]
                for (field, value) in fields.sorted(by: { $0.key < $1.key }) { arguments += [.string(field), .string(value)] }
                if fields.isEmpty { continue }
                commands.append(RedisCommand("HSET", arguments))
            }
            if let expiresAt = slot.expiresAt {
                commands.append(RedisCommand("HSET", [.string(names.expiries), .string(key), .integer(Int(expiresAt.rawValue))]))
            } else {
                commands.append(RedisCommand("HDEL", [.string(names.expiries), .string(key)]))
            }
        }
        return commands
    }
}
