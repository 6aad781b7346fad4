import QuantumCore
import Synchronization

/// A state store held in memory: the test and backtest backend, with the semantics of every other backend.
///
/// Expiry is measured on the injected clock and applied lazily (an expired key reads as absent and
/// is swept out from time to time).
public final class InMemoryStateStore: StateStore {
    private let clock: any EpochClock
    private let state = Mutex(MemorySlots())

    /// Creates an empty store whose expiry times come from `clock`.
    public init(clock: any EpochClock = SystemEpochClock()) {
        self.clock = clock
    }

    /// Runs `body` atomically at the clock's current time.
    private func run<T: Sendable>(_ body: (inout MemorySlots, EpochMillis) throws -> T) throws -> T {
        let now = clock.now()
        return try state.withLock { slots in
            try slots.atomically(now: now) { try body(&$0, now) }
        }
    }

    public func get(_ key: String) async throws -> String? {
        try BusArguments.key(key)
        return try run { slots, now in try slots.string(key, now: now) }
    }

    public func set(_ key: String, value: String, ttl: Duration?) async throws {
        try BusArguments.key(key, ttl: ttl)
        try run { slots, now in try slots.apply(.setString(key: key, value: value, ttl: ttl), now: now) }
    }

    public func setIfAbsent(_ key: String, value: String, ttl: Duration?) async throws -> Bool {
        try BusArguments.key(key, ttl: ttl)
        return try run { slots, now in try slots.setIfAbsent(key, value: value, ttl: ttl, now: now) }
    }

    public func compareAndSet(_ key: String, expected: String?, new: String?) async throws -> Bool {
        try BusArguments.key(key)
        return try run { slots, now in try slots.compareAndSet(key, expected: expected, new: new, now: now) }
    }

    public func increment(_ key: String, by delta: Int64, ttl: Duration?) async throws -> Int64 {
        try BusArguments.key(key, ttl: ttl)
        return try run { slots, now in try slots.increment(key, by: delta, ttl: ttl, now: now) }
    }

    public func fields(_ key: String) async throws -> [String: String] {
        try BusArguments.key(key)
        return try run { slots, now in try slots.hash(key, now: now) }
    }

    public func snapshot(_ keys: [String]) async throws -> StateSnapshot {
        for key in keys { try BusArguments.key(key) }
        return try run { slots, now in try slots.snapshot(keys, now: now) }
    }

    public func setFields(_ key: String, _ fields: [String: String]) async throws {
        try BusArguments.key(key)
        try run { slots, now in try slots.apply(.setFields(key: key, fields: fields), now: now) }
    }

    @discardableResult
    public func delete(_ key: String) async throws -> Bool {
        try BusArguments.key(key)
        return try run { slots, now in try slots.delete(key, now: now) }
    }

    public func keys(prefix: String) async throws -> [String] {
        let now = clock.now()
        return state.withLock { $0.keys(prefix: prefix, now: now) }
    }

    public func update(when conditions: [StateCondition], _ mutations: [StateMutation]) async throws -> Bool {
        for mutation in mutations { try mutation.validate() }
        return try run { slots, now in try slots.update(when: conditions, mutations, now: now) }
    }

    public func update(when conditions: [StateCondition], _ mutations: [StateMutation], thenReading keys: [String]) async throws
        -> (applied: Bool, snapshot: StateSnapshot) {
        for mutation in mutations { try mutation.validate() }
        for key in keys { try BusArguments.key(key) }
        // One lock: the update and the reading after it, with nothing between.
        return try run { slots, now in (try slots.update(when: conditions, mutations, now: now), try slots.snapshot(keys, now: now)) }
    }
}
