import QuantumBus
import QuantumCore
import Testing

/// Checks of acknowledgement, pending entries, claims, dead letters and group metrics.
extension EventLogContract {
    static func acknowledgeRemovesPending(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 3)
        try await log.createGroup("s", group: "g", start: .beginning)
        _ = try await log.readNew("s", group: "g", consumer: "c", count: 3, wait: nil)
        #expect(try await log.acknowledge("s", group: "g", ids: [ids[0], ids[2], ids[2]]) == 2)
        #expect(try await log.pending("s", group: "g").map(\.id) == [ids[1]])
        #expect(try await log.acknowledge("s", group: "g", ids: [ids[0]]) == 0, "a second ack finds nothing pending")
        #expect(try await log.acknowledge("s", group: "g", ids: [EntryID(milliseconds: 1, sequence: 1)]) == 0)
        #expect(try await log.acknowledge("s", group: "g", ids: []) == 0)
        #expect(try await log.length("s") == 3, "acknowledging does not delete entries")
    }

    static func pendingDetails(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 3)
        try await log.createGroup("s", group: "g", start: .beginning)
        #expect(try await log.pending("s", group: "g").isEmpty)
        _ = try await log.readNew("s", group: "g", consumer: "alice", count: 2, wait: nil)
        clock.advance(by: .seconds(3))
        _ = try await log.readNew("s", group: "g", consumer: "bob", count: 1, wait: nil)
        clock.advance(by: .seconds(2))
        #expect(try await log.pending("s", group: "g") == [
            PendingEntry(id: ids[0], consumer: "alice", idle: .seconds(5), deliveryCount: 1),
            PendingEntry(id: ids[1], consumer: "alice", idle: .seconds(5), deliveryCount: 1),
            PendingEntry(id: ids[2], consumer: "bob", idle: .seconds(2), deliveryCount: 1),
        ])
    }

    static func claimMovesIdleEntries(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 4)
        try await log.createGroup("s", group: "g", start: .beginning)
        _ = try await log.readNew("s", group: "g", consumer: "dead", count: 3, wait: nil)
        clock.advance(by: .seconds(10))
        _ = try await log.readNew("s", group: "g", consumer: "dead", count: 1, wait: nil)
        clock.advance(by: .milliseconds(1))

        #expect(try await log.claim("s", group: "g", consumer: "live", minIdle: .seconds(11), count: 10).isEmpty)
        let first = try await log.claim("s", group: "g", consumer: "live", minIdle: .seconds(10), count: 2)
        #expect(first.map(\.entry.id) == Array(ids[0..<2]), "oldest first, at most count")
        #expect(first.map(\.deliveryCount) == [2, 2])
        #expect(first.map { $0.entry.fields["n"] } == ["0", "1"])
        let second = try await log.claim("s", group: "g", consumer: "live", minIdle: .seconds(10), count: 10)
        #expect(second.map(\.entry.id) == [ids[2]], "the fresh entry and the just-claimed ones are not idle")

        clock.advance(by: .seconds(1))
        #expect(try await log.pending("s", group: "g") == [
            PendingEntry(id: ids[0], consumer: "live", idle: .seconds(1), deliveryCount: 2),
            PendingEntry(id: ids[1], consumer: "live", idle: .seconds(1), deliveryCount: 2),
            PendingEntry(id: ids[2], consumer: "live", idle: .seconds(1), deliveryCount: 2),
            PendingEntry(id: ids[3], consumer: "dead", idle: .milliseconds(1_001), deliveryCount: 1),
        ])
        let again = try await log.claim("s", group: "g", consumer: "other", minIdle: .zero, count: 10)
        #expect(again.map(\.deliveryCount) == [3, 3, 3, 2])
        #expect(try await log.pending("s", group: "g").allSatisfy { $0.consumer == "other" && $0.idle == .zero })
    }

    static func claimByIDsTakesOnlyThose(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 4)
        try await log.createGroup("s", group: "g", start: .beginning)
        _ = try await log.readNew("s", group: "g", consumer: "c", count: 3, wait: nil)
        clock.advance(by: .seconds(5))
        _ = try await log.readNew("s", group: "g", consumer: "c", count: 1, wait: nil)

        // ids[1] is still being handled: the consumer leaves it out; ids[3] is not idle long enough; a stranger id is skipped.
        let stranger = EntryID(milliseconds: 1, sequence: 0)
        let claimed = try await log.claim("s", group: "g", consumer: "d", ids: [ids[2], ids[0], ids[3], stranger, ids[0]], minIdle: .seconds(5))
        #expect(claimed.map(\.entry.id) == [ids[0], ids[2]], "only the given ids, pending and idle long enough, in id order")
        #expect(claimed.map(\.deliveryCount) == [2, 2])
        #expect(claimed.map { $0.entry.fields["n"] } == ["0", "2"])
        #expect(try await log.pending("s", group: "g") == [
            PendingEntry(id: ids[0], consumer: "d", idle: .zero, deliveryCount: 2),
            PendingEntry(id: ids[1], consumer: "c", idle: .seconds(5), deliveryCount: 1),
            PendingEntry(id: ids[2], consumer: "d", idle: .zero, deliveryCount: 2),
            PendingEntry(id: ids[3], consumer: "c", idle: .zero, deliveryCount: 1),
        ], "the entry in hand keeps its owner and its count")
        #expect(try await log.claim("s", group: "g", consumer: "d", ids: [], minIdle: .zero).isEmpty)
        await expectError(.noSuchGroup) { _ = try await log.claim("s", group: "none", consumer: "d", ids: [ids[0]], minIdle: .zero) }
        await expectError(.invalidArgument) { _ = try await log.claim("s", group: "g", consumer: "d", ids: [ids[0]], minIdle: .seconds(-1)) }
    }

    static func deadLetterMovesEntry(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 2)
        try await log.createGroup("s", group: "g", start: .beginning)
        _ = try await log.readNew("s", group: "g", consumer: "c", count: 2, wait: nil)
        clock.advance(by: .seconds(1))
        _ = try await log.claim("s", group: "g", consumer: "c", minIdle: .zero, count: 1)
        try await log.deadLetter("s", group: "g", id: ids[0], reason: "malformed: price missing")
        #expect(try await log.pending("s", group: "g").map(\.id) == [ids[1]], "dead-lettering acknowledges")

        let stream = deadLetterStream
        let letters = try await log.range(stream, from: .zero, to: .max, count: 10)
        try #require(letters.count == 1)
        let expected = DeadLetter(originalID: ids[0], stream: "s", group: "g", reason: "malformed: price missing", deliveryCount: 2)
        #expect(DeadLetter(fields: letters[0].fields) == expected)
        #expect(letters[0].fields == expected.entryFields(original: ["n": "0"]), "the original fields travel along")
        #expect(letters[0].fields[DeadLetter.originalIDField] == ids[0].description)
        #expect(try await log.length("s") == 2, "the original entry stays in its stream")
        await expectError(.notPending) { try await log.deadLetter("s", group: "g", id: ids[0], reason: "again") }
    }

    static func deadLetterExhaustedMovesPoison(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 3)
        try await log.createGroup("s", group: "g", start: .beginning)
        _ = try await log.readNew("s", group: "g", consumer: "c", count: 3, wait: nil)
        _ = try await log.claim("s", group: "g", consumer: "c", minIdle: .zero, count: 10) // all at 2
        try await log.acknowledge("s", group: "g", ids: [ids[1]])
        _ = try await log.claim("s", group: "g", consumer: "c", minIdle: .zero, count: 1) // ids[0] at 3
        #expect(try await log.deadLetterExhausted("s", group: "g", maxDeliveries: 4).isEmpty)

        let letters = try await log.deadLetterExhausted("s", group: "g", maxDeliveries: 3)
        #expect(letters.map(\.originalID) == [ids[0]])
        #expect(letters.map(\.deliveryCount) == [3])
        #expect(letters.allSatisfy { $0.stream == "s" && $0.group == "g" && !$0.reason.isEmpty })
        #expect(try await log.pending("s", group: "g").map(\.id) == [ids[2]])
        let stored = try await log.range(deadLetterStream, from: .zero, to: .max, count: 10)
        #expect(stored.compactMap { DeadLetter(fields: $0.fields) } == letters)
        #expect(try await log.deadLetterExhausted("s", group: "g", maxDeliveries: 3).isEmpty)
        let both = try await log.deadLetterExhausted("s", group: "g", maxDeliveries: 1)
        #expect(both.map(\.originalID) == [ids[2]])
        #expect(try await log.length(deadLetterStream) == 2)
    }

    static func groupsReportLagAndPending(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 5)
        try await log.createGroup("s", group: "b-late", start: .tail)
        try await log.createGroup("s", group: "a-replay", start: .beginning)
        _ = try await log.readNew("s", group: "a-replay", consumer: "c", count: 2, wait: nil)
        try await log.acknowledge("s", group: "a-replay", ids: [ids[0]])
        #expect(try await log.groups("s") == [
            GroupInfo(name: "a-replay", lag: 3, pending: 1, lastDeliveredID: ids[1]),
            GroupInfo(name: "b-late", lag: 0, pending: 0, lastDeliveredID: ids[4]),
        ])
        _ = try await fill(log, "s", count: 2)
        #expect(try await log.lag("s", group: "a-replay") == 5)
        #expect(try await log.lag("s", group: "b-late") == 2)
        #expect(try await log.groups("missing").isEmpty)
    }

    /// The dead-letter stream of the contract's stream `s`.
    static var deadLetterStream: String { InMemoryEventLog.deadLetterStream(for: "s") }
}
