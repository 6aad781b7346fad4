import QuantumBus
import QuantumCore
import Synchronization

/// The system's store as the soak hands it over: the in-memory store, whose writes can be made to fail (a full disk)
/// and which can be made to forget keys (a seam that takes a fix away).
final class SoakStateStore: StateStore {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "injected store write failure (disk full)" }
    }

    private let base: any StateStore
    private let forgotten: [String]
    private let failures = Mutex(0)

    /// A store over `base` that never keeps keys starting with any of `forgetting`.
    init(_ base: any StateStore, forgetting: [String] = []) {
        self.base = base
        forgotten = forgetting
    }

    /// The next `count` writes fail before changing anything.
    func failNextWrites(_ count: Int) {
        failures.withLock { $0 += count }
    }

    private func write() throws {
        let fail = failures.withLock { remaining -> Bool in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fail { throw Failure() }
    }

    private func kept(_ key: String) -> Bool { !forgotten.contains { key.hasPrefix($0) } }

    func get(_ key: String) async throws -> String? { kept(key) ? try await base.get(key) : nil }

    func set(_ key: String, value: String, ttl: Duration?) async throws {
        try write()
        if kept(key) { try await base.set(key, value: value, ttl: ttl) }
    }

    func setIfAbsent(_ key: String, value: String, ttl: Duration?) async throws -> Bool {
        try write()
        return try await base.setIfAbsent(key, value: value, ttl: ttl)
    }

    func compareAndSet(_ key: String, expected: String?, new: String?) async throws -> Bool {
        try write()
        return try await base.compareAndSet(key, expected: expected, new: new)
    }

    func increment(_ key: String, by delta: Int64, ttl: Duration?) async throws -> Int64 {
        try write()
        return try await base.increment(key, by: delta, ttl: ttl)
    }

    func fields(_ key: String) async throws -> [String: String] { kept(key) ? try await base.fields(key) : [:] }

    func setFields(_ key: String, _ fields: [String: String]) async throws {
        try write()
        if kept(key) { try await base.setFields(key, fields) }
    }

    func delete(_ key: String) async throws -> Bool {
        try write()
        return try await base.delete(key)
    }

    func keys(prefix: String) async throws -> [String] { try await base.keys(prefix: prefix).filter(kept) }

    func update(when conditions: [StateCondition], _ mutations: [StateMutation]) async throws -> Bool {
        try write()
        return try await base.update(when: conditions, mutations.filter(keptMutation))
    }

    private func keptMutation(_ mutation: StateMutation) -> Bool {
        switch mutation {
        case .setString(let key, _, _), .setFields(let key, _), .removeFields(let key, _), .delete(let key), .increment(let key, _): kept(key)
        }
    }
}
