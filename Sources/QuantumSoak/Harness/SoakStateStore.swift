import QuantumBus
import QuantumCore
import Synchronization

/// The disk under the system's store: its next writes can be made to fail (a full disk), whichever life of the
/// process makes them.
final class SoakDisk: Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "injected store write failure (disk full)" }
    }

    private let failures = Mutex(0)

    /// The next `count` writes fail before changing anything.
    func failNextWrites(_ count: Int) {
        failures.withLock { $0 += count }
    }

    /// Throws if this write is one made to fail.
    func write() throws {
        let fail = failures.withLock { remaining -> Bool in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fail { throw Failure() }
    }
}

/// The system's store as one life of the process sees it: the shared in-memory store on a disk that can fail,
/// refused once that life has crashed, and made to forget keys by a seam that takes a fix away.
struct SoakStateStore: StateStore {
    private let base: any StateStore
    private let forgotten: [String]
    private let disk: SoakDisk
    private let process: SoakProcess

    /// A store over `base` for `process` that never keeps keys starting with any of `forgetting`.
    init(_ base: any StateStore, disk: SoakDisk, process: SoakProcess, forgetting: [String] = []) {
        self.base = base
        self.disk = disk
        self.process = process
        forgotten = forgetting
    }

    private func write() throws {
        try process.check()
        try disk.write()
    }

    private func kept(_ key: String) -> Bool { !forgotten.contains { key.hasPrefix($0) } }

    func get(_ key: String) async throws -> String? {
        try process.check()
        return kept(key) ? try await base.get(key) : nil }

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

    func fields(_ key: String) async throws -> [String: String] {
        try process.check()
        return kept(key) ? try await base.fields(key) : [:] }

    func snapshot(_ keys: [String]) async throws -> StateSnapshot {
        try process.check()
        let read = try await base.snapshot(keys.filter(kept))
        return StateSnapshot(keys: Set(keys), values: read.values)
    }

    func setFields(_ key: String, _ fields: [String: String]) async throws {
        try write()
        if kept(key) { try await base.setFields(key, fields) }
    }

    func delete(_ key: String) async throws -> Bool {
        try write()
        return try await base.delete(key)
    }

    func keys(prefix: String) async throws -> [String] {
        try process.check()
        return try await base.keys(prefix: prefix).filter(kept) }

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
