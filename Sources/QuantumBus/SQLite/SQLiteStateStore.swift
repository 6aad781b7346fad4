import GRDB
import QuantumCore
import Synchronization

/// A durable state store in a SQLite file, with the semantics of every other backend.
///
/// Every call is one transaction (so `update(when:)` is all-or-nothing); a returned write is on
/// disk. Expiry is measured on the injected clock: an expired key reads as absent, and expired
/// keys are purged every few hundred writes (or on `purgeExpired()`).
public final class SQLiteStateStore: StateStore {
    private let database: SQLiteDatabase
    private let clock: any EpochClock
    private let writesSincePurge = Atomic<Int>(0)

    /// A state store over `database` whose expiry times come from `clock`.
    public init(database: SQLiteDatabase, clock: any EpochClock = SystemEpochClock()) {
        self.database = database
        self.clock = clock
    }

    /// Deletes every expired key now; returns how many.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        try await write { slots, now in try slots.purgeExpired(now: now) }
    }

    private func write<T: Sendable>(_ body: @escaping @Sendable (inout SQLiteSlots, EpochMillis) throws -> T) async throws -> T {
        let clock = clock
        let purge = writesSincePurge.add(1, ordering: .relaxed).newValue % 256 == 0
        return try await database.write(.full, { db in
            var slots = SQLiteSlots(db: db)
            let now = clock.now()
            if purge { _ = try slots.purgeExpired(now: now) }
            return try body(&slots, now)
        }, wrap: { StateStoreError(.backendFailure, $0) })
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (inout SQLiteSlots, EpochMillis) throws -> T) async throws -> T {
        let clock = clock
        return try await database.read({ db in
            var slots = SQLiteSlots(db: db)
            return try body(&slots, clock.now())
        }, wrap: { StateStoreError(.backendFailure, $0) })
    }

    public func get(_ key: String) async throws -> String? {
        try BusArguments.key(key)
        return try await read { slots, now in try slots.string(key, now: now) }
    }

    public func set(_ key: String, value: String, ttl: Duration?) async throws {
        try BusArguments.key(key, ttl: ttl)
        try await write { slots, now in try slots.apply(.setString(key: key, value: value, ttl: ttl), now: now) }
    }

    public func setIfAbsent(_ key: String, value: String, ttl: Duration?) async throws -> Bool {
        try BusArguments.key(key, ttl: ttl)
        return try await write { slots, now in try slots.setIfAbsent(key, value: value, ttl: ttl, now: now) }
    }

    public func compareAndSet(_ key: String, expected: String?, new: String?) async throws -> Bool {
        try BusArguments.key(key)
        return try await write { slots, now in try slots.compareAndSet(key, expected: expected, new: new, now: now) }
    }

    public func increment(_ key: String, by delta: Int64, ttl: Duration?) async throws -> Int64 {
        try BusArguments.key(key, ttl: ttl)
        return try await write { slots, now in try slots.increment(key, by: delta, ttl: ttl, now: now) }
    }

    public func fields(_ key: String) async throws -> [String: String] {
        try BusArguments.key(key)
        return try await read { slots, now in try slots.hash(key, now: now) }
    }

    public func snapshot(_ keys: [String]) async throws -> StateSnapshot {
        for key in keys { try BusArguments.key(key) }
        return try await read { slots, now in try slots.snapshot(keys, now: now) }
    }

    public func setFields(_ key: String, _ fields: [String: String]) async throws {
        try BusArguments.key(key)
        try await write { slots, now in try slots.apply(.setFields(key: key, fields: fields), now: now) }
    }

    @discardableResult
    public func delete(_ key: String) async throws -> Bool {
        try BusArguments.key(key)
        return try await write { slots, now in try slots.delete(key, now: now) }
    }

    public func keys(prefix: String) async throws -> [String] {
        try await read { slots, now in try slots.keys(prefix: prefix, now: now) }
    }

    public func update(when conditions: [StateCondition], _ mutations: [StateMutation]) async throws -> Bool {
        for mutation in mutations { try mutation.validate() }
        return try await write { slots, now in try slots.update(when: conditions, mutations, now: now) }
    }

    public func update(when conditions: [StateCondition], _ mutations: [StateMutation], thenReading keys: [String]) async throws
        -> (applied: Bool, snapshot: StateSnapshot) {
        for mutation in mutations { try mutation.validate() }
        for key in keys { try BusArguments.key(key) }
        // The reading is made in the update's own transaction: after it, with nothing between.
        return try await write { slots, now in (try slots.update(when: conditions, mutations, now: now), try slots.snapshot(keys, now: now)) }
    }
}
