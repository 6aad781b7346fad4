import QuantumCore
import QuantumRedis
import Synchronization

/// The state store on Redis: strings and hashes under their own keys (so `GET` and `HGETALL` show the truth), with
/// the semantics of every other backend.
///
/// Each call reads the slots it touches under `WATCH`, applies the shared semantics in memory and writes the result in
/// one `MULTI`/`EXEC`, run again if a watched key changed meanwhile: `update(when:)` is all-or-nothing and a call that
/// throws writes nothing. Expiry is measured on the injected clock (an expired key reads as absent); expiry times live
/// in one hash under `quantum:bus:`, and expired keys are purged every few hundred writes (or on `purgeExpired()`).
public final class RedisStateStore: StateStore {
    private let client: RedisClient
    private let clock: any EpochClock
    private let names: RedisBusNames
    private let writesSincePurge = Atomic<Int>(0)
    /// How often a call whose keys changed under it is run again before it fails.
    static let attempts = 64

    /// A store on `client` whose expiry times come from `clock`.
    public init(client: RedisClient, clock: any EpochClock = SystemEpochClock(), names: RedisBusNames = RedisBusNames()) {
        self.client = client
        self.clock = clock
        self.names = names
    }

    /// Runs `body` over the slots of `keys` and commits what it changed, atomically.
    private func transact<T: Sendable>(_ keys: Set<String>,
                                       _ body: @escaping @Sendable (inout RedisStateSlots, EpochMillis) throws -> T) async throws -> T {
        if writesSincePurge.add(1, ordering: .relaxed).newValue % 256 == 0 { _ = try? await purgeExpired() }
        let names = names
        let clock = clock
        for _ in 0..<Self.attempts {
            do {
                let outcome: T? = try await client.withConnection { connection in
                    // WATCH and the reads go in one pipeline, MULTI/writes/EXEC in a second: two round trips per call.
                    var slots: RedisStateSlots
                    let value: T
                    do {
                        slots = RedisStateSlots(keys: keys, loaded: try await Self.watchAndRead(keys, on: connection, names: names))
                        value = try body(&slots, clock.now())
                    } catch {
                        // A refused call leaves the connection in the pool: it must not stay WATCHing.
                        _ = try? await connection.send(RedisCommand("UNWATCH"))
                        throw error
                    }
                    let writes = slots.writes(names: names)
                    if writes.isEmpty {
                        _ = try await connection.send(RedisCommand("UNWATCH"))
                        return value
                    }
                    // nil: a watched key changed meanwhile, and nothing was written.
                    guard let results = try await connection.transaction(writes) else { return nil }
                    if case .failure(let error)? = results.first(where: { if case .failure = $0 { true } else { false } }) { throw error }
                    return value
                }
                if let outcome { return outcome }
            } catch let error as StateStoreError {
                throw error
            } catch let error as RedisError {
                throw StateStoreError(redis: error)
            }
        }
        throw StateStoreError(.backendFailure, "keys \(keys.sorted()) kept changing during \(Self.attempts) attempts")
    }

    /// `WATCH`es `keys` (and the expiry hash) and reads their stored slots, in one pipeline (expired slots included:
    /// the semantics treat them as absent).
    private static func watchAndRead(_ keys: Set<String>, on connection: RedisConnection, names: RedisBusNames) async throws -> [String: StateSlot] {
        let ordered = keys.sorted()
        let watch = RedisCommand("WATCH", (ordered.map(names.key) + [names.expiries]).map { RedisArgument.string($0) })
        let reads = ordered.map { RedisCommand.evalsha(RedisStateScripts.read, keys: [names.key($0), names.expiries], arguments: [.string($0)]) }
        var replies = try await connection.pipeline([watch] + reads)
        if replies.contains(where: { if case .failure(let error) = $0 { error.serverErrorKind == "NOSCRIPT" } else { false } }) {
            try await connection.scriptLoad(RedisStateScripts.read)
            replies = try await connection.pipeline([watch] + reads)
        }
        _ = try replies[0].get()
        var slots: [String: StateSlot] = [:]
        for (key, reply) in zip(ordered, replies.dropFirst()) {
            if let slot = try RedisStateScripts.slot(try reply.get(), key: key) { slots[key] = slot }
        }
        return slots
    }

    /// Deletes every expired key now; returns how many.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        do {
            let reply = try await client.evalsha(RedisStateScripts.purge, keys: [names.expiries],
                                                 arguments: [.string(names.namespace), .integer(Int(clock.now().rawValue))])
            return reply.int ?? 0
        } catch let error as RedisError {
            throw StateStoreError(redis: error)
        }
    }

    /// The slot of one key, read in one script (atomic on the server: no `WATCH` needed to read one key).
    private func read(_ key: String) async throws -> RedisStateSlots {
        do {
            let reply = try await client.evalsha(RedisStateScripts.read, keys: [names.key(key), names.expiries], arguments: [.string(key)])
            return RedisStateSlots(keys: [key], loaded: try RedisStateScripts.slot(reply, key: key).map { [key: $0] } ?? [:])
        } catch let error as RedisError {
            throw StateStoreError(redis: error)
        }
    }

    public func get(_ key: String) async throws -> String? {
        try BusArguments.key(key)
        var slots = try await read(key)
        return try slots.string(key, now: clock.now())
    }

    public func set(_ key: String, value: String, ttl: Duration?) async throws {
        try BusArguments.key(key, ttl: ttl)
        try await transact([key]) { slots, now in try slots.apply(.setString(key: key, value: value, ttl: ttl), now: now) }
    }

    public func setIfAbsent(_ key: String, value: String, ttl: Duration?) async throws -> Bool {
        try BusArguments.key(key, ttl: ttl)
        return try await transact([key]) { slots, now in try slots.setIfAbsent(key, value: value, ttl: ttl, now: now) }
    }

    public func compareAndSet(_ key: String, expected: String?, new: String?) async throws -> Bool {
        try BusArguments.key(key)
        return try await transact([key]) { slots, now in try slots.compareAndSet(key, expected: expected, new: new, now: now) }
    }

    public func increment(_ key: String, by delta: Int64, ttl: Duration?) async throws -> Int64 {
        try BusArguments.key(key, ttl: ttl)
        return try await transact([key]) { slots, now in try slots.increment(key, by: delta, ttl: ttl, now: now) }
    }

    public func fields(_ key: String) async throws -> [String: String] {
        try BusArguments.key(key)
        var slots = try await read(key)
        return try slots.hash(key, now: clock.now())
    }

    public func setFields(_ key: String, _ fields: [String: String]) async throws {
        try BusArguments.key(key)
        try await transact([key]) { slots, now in try slots.apply(.setFields(key: key, fields: fields), now: now) }
    }

    @discardableResult
    public func delete(_ key: String) async throws -> Bool {
        try BusArguments.key(key)
        return try await transact([key]) { slots, now in try slots.delete(key, now: now) }
    }

    public func keys(prefix: String) async throws -> [String] {
        do {
            let reply = try await client.evalsha(RedisStateScripts.keys, keys: [names.expiries],
                                                 arguments: [.string(names.namespace), .string(prefix), .string(names.reservedPrefix),
                                                             .integer(Int(clock.now().rawValue))])
            guard let values = reply.array else { throw StateStoreError(.backendFailure, "Redis replied \(reply) to a key listing") }
            return values.compactMap(\.string).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch let error as RedisError {
            throw StateStoreError(redis: error)
        }
    }

    public func update(when conditions: [StateCondition], _ mutations: [StateMutation]) async throws -> Bool {
        for mutation in mutations { try mutation.validate() }
        var keys = Set<String>()
        for condition in conditions { keys.insert(condition.key) }
        for mutation in mutations { keys.insert(mutation.key) }
        return try await transact(keys) { slots, now in try slots.update(when: conditions, mutations, now: now) }
    }
}

extension StateCondition {
    /// The key the condition reads.
    var key: String {
        switch self {
        case let .stringEquals(key, _), let .fieldEquals(key, _, _), let .absent(key): key
        }
    }
}

extension StateMutation {
    /// The key the mutation writes.
    var key: String {
        switch self {
        case let .setString(key, _, _), let .setFields(key, _), let .removeFields(key, _), let .delete(key), let .increment(key, _): key
        }
    }
}

extension StateStoreError {
    /// The store's error for a Redis failure: a wrong type by its code, anything else a backend failure.
    init(redis error: RedisError) {
        if error.serverErrorKind == "WRONGTYPE" {
            self.init(.wrongType, error.message)
        } else {
            self.init(.backendFailure, "Redis: \(error)")
        }
    }
}
