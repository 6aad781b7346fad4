import Foundation
import GRDB
@testable import QuantumBus
import QuantumCore
import QuantumTestSupport
import Testing

/// Group commit: concurrent writes share commits, and each stays all-or-nothing inside a shared one.
@Suite("SQLite group commit", .timeLimit(.minutes(1)))
struct SQLiteGroupCommitTests {
    @Test("concurrent writes share commits; a failing write is rolled back alone and the rest of its batch lands")
    func failingWriteInABatch() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.appendingPathComponent("group.sqlite").path
            let database = try SQLiteDatabase(path: path)
            let store = SQLiteStateStore(database: database, clock: ManualEpochClock())
            try await store.set("text", value: "not a number", ttl: nil)
            let writers = 200
            // Every third writer sets its key and then increments a text value: an error after a change.
            let failed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<writers {
                    group.addTask {
                        var mutations: [StateMutation] = [.setString(key: "k\(index)", value: "\(index)", ttl: nil)]
                        if index % 3 == 0 { mutations.append(.increment(key: "text", by: 1)) }
                        do {
                            _ = try await store.update(when: [], mutations)
                            return false
                        } catch let error as StateStoreError {
                            #expect(error.code == .notAnInteger, "\(error)")
                            return true
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(failed == (writers + 2) / 3)
            #expect(database.largestGroupCommit > 1, "200 concurrent writers never shared a commit")
            try database.close()

            // What is on disk after reopening: every successful write, nothing of a failed one.
            let reopened = SQLiteStateStore(database: try SQLiteDatabase(path: path), clock: ManualEpochClock())
            for index in 0..<writers {
                #expect(try await reopened.get("k\(index)") == (index % 3 == 0 ? nil : "\(index)"), "key k\(index)")
            }
            #expect(try await reopened.get("text") == "not a number")
        }
    }

    /// `process-crash` commits every write without an fsync (`synchronous=NORMAL` on the writer, even for a journal-grade
    /// write); `power-cut` commits such a write with `synchronous=FULL`.
    @Test("the durability setting decides whether a commit is fsynced", arguments: SQLiteDatabase.Durability.allCases)
    func durabilitySetting(durability: SQLiteDatabase.Durability) async throws {
        try await TemporaryDirectory.with { directory in
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("d.sqlite").path, durability: durability)
            defer { try? database.close() }
            let store = SQLiteStateStore(database: database, clock: SystemEpochClock())
            try await store.set("k", value: "v", ttl: nil)
            let synchronous = try await database.pool.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
            // 2 = FULL, 1 = NORMAL.
            #expect(synchronous == (durability == .powerCut ? 2 : 1))
            #expect(try await store.get("k") == "v")
        }
    }
}
