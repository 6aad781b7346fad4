import QuantumBus
import QuantumCore
import Testing

/// Checks of appending, group starting points and range reads.
extension EventLogContract {
    static func appendIDsStrictlyIncrease(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        let ms = UInt64(clock.now().rawValue)
        let sameMillisecond = try await fill(log, "s", count: 3)
        #expect(sameMillisecond == (0..<3).map { EntryID(milliseconds: ms, sequence: $0) })

        clock.advance(by: .milliseconds(5))
        let later = try await log.append("s", fields: [:])
        #expect(later == EntryID(milliseconds: ms + 5, sequence: 0))

        clock.advance(by: .milliseconds(-1_000))
        let afterClockWentBack = try await fill(log, "s", count: 2)
        #expect(afterClockWentBack == [EntryID(milliseconds: ms + 5, sequence: 1), EntryID(milliseconds: ms + 5, sequence: 2)])

        let other = try await log.append("other", fields: [:])
        #expect(other == EntryID(milliseconds: ms - 995, sequence: 0), "each stream numbers its own entries")
        let all = try await log.range("s", from: .zero, to: .max, count: 100).map(\.id)
        #expect(all == sameMillisecond + [later] + afterClockWentBack)
        #expect(zip(all, all.dropFirst()).allSatisfy { $0 < $1 })
    }

    static func appendKeepsFields(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        let fields = ["symbol": "BTCUSDT", "price": "67000.10", "note": "ünïcødé, \"quoted\"\nnewline", "empty": ""]
        let id = try await log.append("s", fields: fields)
        let empty = try await log.append("s", fields: [:])
        let entries = try await log.range("s", from: .zero, to: .max, count: 10)
        #expect(entries == [StreamEntry(id: id, fields: fields), StreamEntry(id: empty, fields: [:])])
        #expect(entries.first?.createdAt == clock.now())
        #expect(try await log.length("s") == 2)
    }

    static func groupAtTail(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        _ = try await fill(log, "s", count: 2)
        try await log.createGroup("s", group: "g", start: .tail)
        #expect(try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: nil).isEmpty)
        let fresh = try await log.append("s", fields: ["n": "fresh"])
        let delivered = try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: nil)
        #expect(delivered.map(\.entry.id) == [fresh])
        #expect(delivered.map(\.deliveryCount) == [1])
    }

    static func groupAtBeginning(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 3)
        try await log.createGroup("s", group: "g", start: .beginning)
        let delivered = try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: nil)
        #expect(delivered.map(\.entry.id) == ids)
        #expect(delivered.map { $0.entry.fields["n"] } == ["0", "1", "2"])

        try await log.createGroup("new-stream", group: "g", start: .beginning)
        #expect(try await log.groups("new-stream").map(\.name) == ["g"], "creating a group creates its stream")
        let first = try await log.append("new-stream", fields: [:])
        #expect(try await log.readNew("new-stream", group: "g", consumer: "c", count: 10, wait: nil).map(\.entry.id) == [first])
    }

    static func groupAfterID(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 4)
        try await log.createGroup("s", group: "g", start: .after(ids[1]))
        let delivered = try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: nil)
        #expect(delivered.map(\.entry.id) == Array(ids[2...]))
    }

    static func createGroupIsIdempotent(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 3)
        try await log.createGroup("s", group: "g", start: .beginning)
        _ = try await log.readNew("s", group: "g", consumer: "c", count: 2, wait: nil)
        try await log.createGroup("s", group: "g", start: .beginning)
        try await log.createGroup("s", group: "g", start: .tail)
        let rest = try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: nil)
        #expect(rest.map(\.entry.id) == [ids[2]], "re-creating a group neither rewinds nor skips it")
        #expect(try await log.pending("s", group: "g").count == 3)
        #expect(try await log.groups("s").map(\.name) == ["g"])
    }

    static func rangeBoundsAndCounts(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        var ids: [EntryID] = []
        for n in 0..<5 {
            ids.append(try await log.append("s", fields: ["n": String(n)]))
            clock.advance(by: .milliseconds(1))
        }
        let forward = { (from: EntryID, to: EntryID, count: Int) async throws -> [EntryID] in
            try await log.range("s", from: from, to: to, count: count).map(\.id)
        }
        let backward = { (from: EntryID, to: EntryID, count: Int) async throws -> [EntryID] in
            try await log.reverseRange("s", from: from, to: to, count: count).map(\.id)
        }
        #expect(try await forward(.zero, .max, 100) == ids)
        #expect(try await forward(.zero, .max, 2) == Array(ids[0..<2]))
        #expect(try await forward(ids[1], ids[3], 100) == Array(ids[1...3]), "bounds are inclusive")
        #expect(try await forward(EntryID(milliseconds: ids[1].milliseconds, sequence: 1), ids[3], 100) == Array(ids[2...3]))
        #expect(try await forward(ids[3], ids[1], 100).isEmpty)
        #expect(try await backward(.max, .zero, 2) == [ids[4], ids[3]])
        #expect(try await backward(ids[3], ids[1], 100) == [ids[3], ids[2], ids[1]], "bounds are inclusive")
        #expect(try await backward(ids[1], ids[3], 100).isEmpty)
        #expect(try await log.range("missing", from: .zero, to: .max, count: 10).isEmpty)
        #expect(try await log.reverseRange("missing", from: .max, to: .zero, count: 10).isEmpty)
        #expect(try await log.length("s") == 5)
        #expect(try await log.length("missing") == 0)
    }
}
