import Foundation
import QuantumBus
import QuantumCore
import QuantumTestSupport
import Testing

/// The bus contract against the SQLite backends, each check on a fresh file, plus persistence checks.
@Suite("SQLite bus contract", .timeLimit(.minutes(3)))
struct SQLiteBusContractTests {
    /// Polling is pushed out of reach, so a blocked `readNew` can only be woken by the in-process notifier.
    @Test("event log", .timeLimit(.minutes(1)), arguments: EventLogContract.checks)
    func eventLog(_ check: EventLogCheck) async throws {
        try await TemporaryDirectory.with { directory in
            try await check.run { clock in
                let database = try SQLiteDatabase(path: directory.appendingPathComponent("\(UUID()).sqlite").path)
                return SQLiteEventLog(database: database, clock: clock, pollInterval: .seconds(600))
            }
        }
    }

    @Test("state store", arguments: StateStoreContract.checks)
    func stateStore(_ check: StateStoreCheck) async throws {
        try await TemporaryDirectory.with { directory in
            try await check.run { clock in
                let database = try SQLiteDatabase(path: directory.appendingPathComponent("\(UUID()).sqlite").path)
                return SQLiteStateStore(database: database, clock: clock)
            }
        }
    }

    @Test("data survives closing and reopening the database")
    func survivesReopen() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.appendingPathComponent("bus.sqlite").path
            let clock = ManualEpochClock()
            let first = try SQLiteDatabase(path: path)
            let log = SQLiteEventLog(database: first, clock: clock)
            let store = SQLiteStateStore(database: first, clock: clock)
            let ids = [try await log.append("s", fields: ["n": "0"]), try await log.append("s", fields: ["n": "1"])]
            try await log.createGroup("s", group: "g", start: .beginning)
            _ = try await log.readNew("s", group: "g", consumer: "c", count: 2, wait: nil)
            try await log.acknowledge("s", group: "g", ids: [ids[0]])
            try await store.set("k", value: "v", ttl: nil)
            try await store.set("short", value: "v", ttl: .seconds(1))
            try await store.setFields("h", ["f": "1"])
            try first.close()
            await #expect(throws: EventLogError.self) { _ = try await log.length("s") }

            let second = try SQLiteDatabase(path: path)
            let reopened = SQLiteEventLog(database: second, clock: clock)
            let reopenedStore = SQLiteStateStore(database: second, clock: clock)
            #expect(try await reopened.range("s", from: .zero, to: .max, count: 10).map(\.id) == ids)
            #expect(try await reopened.pending("s", group: "g").map(\.id) == [ids[1]])
            #expect(try await reopened.groups("s").first?.lastDeliveredID == ids[1])
            #expect(try await reopened.append("s", fields: [:]) > ids[1])
            #expect(try await reopenedStore.get("k") == "v")
            #expect(try await reopenedStore.fields("h") == ["f": "1"])
            clock.advance(by: .seconds(1))
            #expect(try await reopenedStore.keys(prefix: "") == ["h", "k"])
            #expect(try await reopenedStore.purgeExpired() == 1)
            try second.close()
        }
    }

    @Test("two logs on one file see each other's entries")
    func twoInstancesShareAFile() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.appendingPathComponent("bus.sqlite").path
            let clock = ManualEpochClock()
            let writer = SQLiteEventLog(database: try SQLiteDatabase(path: path), clock: clock)
            let reader = SQLiteEventLog(database: try SQLiteDatabase(path: path), clock: clock, pollInterval: .milliseconds(5))
            try await reader.createGroup("s", group: "g", start: .tail)
            let first = try await writer.append("s", fields: ["from": "writer"])
            #expect(try await reader.readNew("s", group: "g", consumer: "c", count: 10, wait: nil).map(\.entry.id) == [first])
            let second = try await reader.append("s", fields: ["from": "reader"])
            #expect(second > first, "ids continue across instances")
            #expect(try await writer.range("s", from: .zero, to: .max, count: 10).map(\.id) == [first, second])

            // An append through another instance is noticed by polling, without the clock moving.
            _ = try await reader.readNew("s", group: "g", consumer: "c", count: 10, wait: nil)
            let waiting = Task { try await reader.readNew("s", group: "g", consumer: "c", count: 10, wait: .seconds(60)) }
            _ = await clock.nextSleeper()
            let third = try await writer.append("s", fields: ["from": "writer"])
            #expect(try await waiting.value.map(\.entry.id) == [third])
        }
    }

    @Test("an event log and a state store share one file")
    func embeddedMode() async throws {
        try await TemporaryDirectory.with { directory in
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("bus.sqlite").path)
            let clock = ManualEpochClock()
            let log = SQLiteEventLog(database: database, clock: clock)
            let store = SQLiteStateStore(database: database, clock: clock)
            async let appended = log.append("s", fields: ["n": "1"])
            async let stored: Void = store.set("k", value: "v", ttl: nil)
            _ = try await (appended, stored)
            #expect(try await log.length("s") == 1)
            #expect(try await store.get("k") == "v")
        }
    }
}
