import Foundation
import GRDB
@testable import QuantumBus
import QuantumCore
import QuantumTestSupport
import Testing

/// The WAL is checkpointed beside the writer, and still kept bounded.
@Suite("SQLite checkpointer", .timeLimit(.minutes(1)))
struct SQLiteCheckpointerTests {
    @Test("a connection of its own checkpoints every few commits; the WAL stays bounded and nothing is lost",
          arguments: SQLiteDatabase.Durability.allCases)
    func checkpointsBesideTheWriter(durability: SQLiteDatabase.Durability) async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.appendingPathComponent("wal.sqlite").path
            let database = try SQLiteDatabase(path: path, durability: durability)
            let store = SQLiteStateStore(database: database, clock: ManualEpochClock())
            let value = String(repeating: "x", count: 3_000)  // about a page a write
            let commits = 2_000
            for index in 0..<commits { try await store.set("k\(index % 50)", value: "\(index)\(value)", ttl: nil) }
            let wal = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
            // Without checkpoints the WAL would hold every commit's pages (about 25 MB); the writer's backstop restarts it
            // past 1 000 pages (4 MB).
            #expect(wal < 6_000_000, "WAL of \(wal) bytes after \(commits) commits")
            try database.close()
            #expect(database.checkpointsRun >= 2, "\(database.checkpointsRun) checkpoints for \(commits) commits")
            #expect(database.checkpointsRun <= commits / database.checkpointer.interval)

            let reopened = try SQLiteDatabase(path: path)
            #expect(try await SQLiteStateStore(database: reopened, clock: ManualEpochClock()).get("k49")?.hasPrefix("\(commits - 1)") == true)
            try reopened.close()
        }
    }
}
