import QuantumCore
import QuantumRedis
import Synchronization

/// The state store on Redis: strings and hashes under their own keys (so `GET` and `HGETALL` show the truth), with
/// the semantics of every other backend.
///
/// Each write is one Lua script (`RedisStateUpdate`): its conditions and changes are checked and applied on the server
/// in one round trip, all or nothing. A counter beyond Lua's exact range falls back to reading the slots under `WATCH`,
/// applying the shared semantics in memory and writing the result in one `MULTI`/`EXEC`, run again if a watched key
/// changed meanwhile. Either way `update(when:)` is all-or-nothing and a call that throws writes nothing. Expiry is
/// measured on the injected clock (an expired key reads as absent); expiry times live in one hash under `quantum:bus:`,
/// and expired keys are purged every few hundred writes (or on `purgeExpired()`).
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
        let read = RedisStateScripts.read(ordered, names: names)
        var replies = try await connection.pipeline([watch, read])
        if replies.contains(where: { if case .failure(let error) = $0 { error.serverErrorKind == "NOSCRIPT" } else { false } }) {
            try await connection.scriptLoad(RedisStateScripts.read)
            replies = try await connection.pipeline([watch, read])
        }
        _ = try replies[0].get()
        return try RedisStateScripts.slots(try replies[1].get(), keys: ordered)
    }

    /// Every 256th write first deletes the expired keys (reads treat them as absent meanwhile).
    private func purgeWhenDue() async {
        if writesSincePurge.add(1, ordering: .relaxed).newValue % 256 == 0 { _ = try? await purgeExpired() }
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

    /// The slots of `keys`, read in one script (atomic on the server: no `WATCH` needed to read them together).
    private func read(_ keys: [String]) async throws -> RedisStateSlots {
        let unique = Array(Set(keys))
        guard !unique.isEmpty else { return RedisStateSlots(keys: [], loaded: [:]) }
        do {
            // `evalsha` sends the source when the server has lost the script.
            let reply = try await client.evalsha(RedisStateScripts.read, keys: [names.expiries] + unique.map(names.key),
                                                 arguments: unique.map { .string($0) })
            return RedisStateSlots(keys: Set(unique), loaded: try RedisStateScripts.slots(reply, keys: unique))
        } catch let error as RedisError {
            throw StateStoreError(redis: error)
        }
    }

    public func snapshot(_ keys: [String]) async throws -> StateSnapshot {
        for key in keys { try BusArguments.key(key) }
        var slots = try await read(keys)
        return try slots.snapshot(keys, now: clock.now())
    }

    public func get(_ key: String) async throws -> String? {
        try BusArguments.key(key)
        var slots = try await read([key])
        return try slots.string(key, now: clock.now())
    }

    /// Runs `call` as one script (one round trip). A call with a counter (`fallback`) that the script refuses as beyond
    /// its exact range runs as `fallback` instead, under `WATCH`; no other call can be refused so.
    private func perform<T: Sendable>(
        _ call: (inout RedisStateUpdate, EpochMillis) -> Void, _ outcome: (Bool, String?) throws -> T,
        fallback: (keys: Set<String>, body: @Sendable (inout RedisStateSlots, EpochMillis) throws -> T)? = nil
    ) async throws -> T {
        await purgeWhenDue()
        let now = clock.now()
        var update = RedisStateUpdate()
        call(&update, now)
        if let reply = try await update.run(on: client, names: names, now: now) { return try outcome(reply.applied, reply.value) }
        guard let fallback else { throw StateStoreError(.backendFailure, "the state script refused a call without a counter") }
        return try await transact(fallback.keys, fallback.body)
    }

    public func set(_ key: String, value: String, ttl: Duration?) async throws {
        try BusArguments.key(key, ttl: ttl)
        try await perform({ $0.apply(.setString(key: key, value: value, ttl: ttl), now: $1) }, { _, _ in })
    }

    public func setIfAbsent(_ key: String, value: String, ttl: Duration?) async throws -> Bool {
        try BusArguments.key(key, ttl: ttl)
        return try await perform({ update, now in
            update.require(.absent(key: key))
            update.apply(.setString(key: key, value: value, ttl: ttl), now: now)
        }, { applied, _ in applied })
    }

    public func compareAndSet(_ key: String, expected: String?, new: String?) async throws -> Bool {
        try BusArguments.key(key)
        return try await perform({ update, now in
            update.require(.stringEquals(key: key, value: expected))
            if let new { update.replaceKeepingExpiry(key, with: new) } else { update.apply(.delete(key: key), now: now) }
        }, { applied, _ in applied })
    }

    public func increment(_ key: String, by delta: Int64, ttl: Duration?) async throws -> Int64 {
        try BusArguments.key(key, ttl: ttl)
        return try await perform({ update, now in update.increment(key, by: delta, expiresAt: now.expiry(after: ttl)) }, { _, value in
            guard let value, let count = Int64(value) else { throw StateStoreError(.backendFailure, "Redis replied \(value ?? "nothing") to an increment of \(key)") }
            return count
        }, fallback: ([key], { slots, now in try slots.increment(key, by: delta, ttl: ttl, now: now) }))
    }

    public func fields(_ key: String) async throws -> [String: String] {
        try BusArguments.key(key)
        var slots = try await read([key])
        return try slots.hash(key, now: clock.now())
    }

    public func setFields(_ key: String, _ fields: [String: String]) async throws {
        try BusArguments.key(key)
        try await perform({ $0.apply(.setFields(key: key, fields: fields), now: $1) }, { _, _ in })
    }

    @discardableResult
    public func delete(_ key: String) async throws -> Bool {
        try BusArguments.key(key)
        return try await perform({ $0.apply(.delete(key: key), now: $1) }, { _, value in value == "1" })
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
        return try await perform({ update, now in update = RedisStateUpdate(when: conditions, mutations, now: now) }, { applied, _ in applied }, fallback: (keys, { slots, now in try slots.update(when: conditions, mutations, now: now) }))
    }
}

extension RedisStateStore {
    /// The update and the reading pipelined on one connection: one round trip, the reading made right after the update.
    public func update(when conditions: [StateCondition], _ mutations: [StateMutation], thenReading keys: [String]) async throws
        -> (applied: Bool, snapshot: StateSnapshot) {
        for mutation in mutations { try mutation.validate() }
        for key in keys { try BusArguments.key(key) }
        let unique = Array(Set(keys))
        // A counter may need the WATCH path (beyond the script's exact range): then the two calls, one after the other.
        if unique.isEmpty || mutations.contains(where: { if case .increment = $0 { true } else { false } }) {
            return (try await update(when: conditions, mutations), try await snapshot(keys))
        }
        await purgeWhenDue()
        let now = clock.now()
        let write = RedisStateUpdate(when: conditions, mutations, now: now).command(names: names, now: now)
        let read = RedisStateScripts.read(unique, names: names)
        do {
            let replies = try await client.withConnection { connection in
                var replies = try await connection.pipeline([write, read])
                if case .failure(let error) = replies[0], error.serverErrorKind == "NOSCRIPT" {
                    // The update did not run (the reading saw the state without it): both again, once the scripts are loaded.
                    try await connection.scriptLoad(RedisStateUpdate.script)
                    try await connection.scriptLoad(RedisStateScripts.read)
                    replies = try await connection.pipeline([write, read])
                } else if case .failure(let error) = replies[1], error.serverErrorKind == "NOSCRIPT" {
                    // The update ran: only the reading again.
                    try await connection.scriptLoad(RedisStateScripts.read)
                    replies[1] = try await connection.pipeline([read])[0]
                }
                return replies
            }
            guard let outcome = try RedisStateUpdate.outcome(replies[0]) else {
                throw StateStoreError(.backendFailure, "the state script refused a call without a counter")
            }
            var slots = RedisStateSlots(keys: Set(unique), loaded: try RedisStateScripts.slots(try replies[1].get(), keys: unique))
            return (outcome.applied, try slots.snapshot(keys, now: clock.now()))
        } catch let error as RedisError {
            throw StateStoreError(redis: error)
        }
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
