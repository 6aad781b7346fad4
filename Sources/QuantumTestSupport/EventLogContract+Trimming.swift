import QuantumBus
import QuantumCore
import Testing

/// Checks that `maxLength` trims old entries but never one a group still needs.
extension EventLogContract {
    static func trimWithoutGroups(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        var ids: [EntryID] = []
        for n in 0..<10 { ids.append(try await log.append("s", fields: ["n": String(n)], maxLength: 4)) }
        #expect(try await log.length("s") == 4)
        #expect(try await log.range("s", from: .zero, to: .max, count: 100).map(\.id) == Array(ids[6...]))
        let next = try await log.append("s", fields: [:], maxLength: 0)
        #expect(next > ids[9], "ids keep increasing after trimming")
        #expect(try await log.length("s") == 0)
    }

    static func trimNeverOutrunsGroups(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        try await log.createGroup("s", group: "slow", start: .beginning)
        var ids = try await fill(log, "s", count: 6)
        ids.append(try await log.append("s", fields: ["n": "6"], maxLength: 2))
        #expect(try await log.length("s") == 7, "undelivered entries are never trimmed")

        // Deliver four: e0 e1 e2 e3 pending; acknowledge e0 and e2, leaving e1 and e3 pending.
        _ = try await log.readNew("s", group: "slow", consumer: "c", count: 4, wait: nil)
        ids.append(try await log.append("s", fields: ["n": "7"], maxLength: 2))
        #expect(try await log.length("s") == 8, "pending entries are never trimmed")
        try await log.acknowledge("s", group: "slow", ids: [ids[0], ids[2]])
        ids.append(try await log.append("s", fields: ["n": "8"], maxLength: 2))
        let kept = try await log.range("s", from: .zero, to: .max, count: 100).map(\.id)
        #expect(kept == [ids[1]] + Array(ids[3...]), "acknowledged entries are trimmed, oldest first")

        // A second group created at the tail does not protect older entries; one at the beginning does.
        try await log.createGroup("s", group: "fresh", start: .tail)
        try await log.acknowledge("s", group: "slow", ids: [ids[1], ids[3]])
        _ = try await log.readNew("s", group: "slow", consumer: "c", count: 100, wait: nil)
        try await log.acknowledge("s", group: "slow", ids: Array(ids[4...]))
        ids.append(try await log.append("s", fields: ["n": "9"], maxLength: 0))
        #expect(
            try await log.range("s", from: .zero, to: .max, count: 100).map(\.id) == [ids[9]],
            "everything acknowledged goes; the entry no group has been delivered stays despite maxLength 0"
        )
    }
}
