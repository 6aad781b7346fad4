import QuantumBus
import QuantumCore
import Testing

/// Checks of delivery to consumer groups: once per group, work queues, fan-out and blocking reads.
extension EventLogContract {
    static func readNewDeliversOnce(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 5)
        try await log.createGroup("s", group: "g", start: .beginning)
        var batches: [[EntryID]] = []
        for _ in 0..<4 {
            batches.append(try await log.readNew("s", group: "g", consumer: "c", count: 2, wait: nil).map(\.entry.id))
        }
        #expect(batches == [Array(ids[0..<2]), Array(ids[2..<4]), [ids[4]], []])
    }

    static func consumersShareWork(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        let ids = try await fill(log, "s", count: 30)
        try await log.createGroup("s", group: "g", start: .beginning)
        let perConsumer = try await withThrowingTaskGroup(of: (String, [EntryID]).self) { tasks in
            for consumer in ["a", "b", "c"] {
                tasks.addTask {
                    var mine: [EntryID] = []
                    while true {
                        let batch = try await log.readNew("s", group: "g", consumer: consumer, count: 2, wait: nil)
                        if batch.isEmpty { return (consumer, mine) }
                        mine += batch.map(\.entry.id)
                    }
                }
            }
            var result: [String: [EntryID]] = [:]
            for try await (consumer, mine) in tasks { result[consumer] = mine }
            return result
        }
        let all = perConsumer.values.flatMap { $0 }
        #expect(all.count == ids.count, "no entry is delivered to two consumers of a group")
        #expect(Set(all) == Set(ids))
        let pending = try await log.pending("s", group: "g")
        for entry in pending {
            #expect(perConsumer[entry.consumer]?.contains(entry.id) == true, "pending names the consumer it went to")
        }
        #expect(pending.count == ids.count)
    }

    static func groupsFanOut(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        try await log.createGroup("s", group: "one", start: .beginning)
        try await log.createGroup("s", group: "two", start: .beginning)
        let ids = try await fill(log, "s", count: 4)
        let one = try await log.readNew("s", group: "one", consumer: "c", count: 10, wait: nil)
        let two = try await log.readNew("s", group: "two", consumer: "c", count: 10, wait: nil)
        #expect(one.map(\.entry.id) == ids)
        #expect(two.map(\.entry.id) == ids)
    }

    static func readNewWaitWakesOnAppend(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        try await log.createGroup("s", group: "g", start: .tail)
        let reader = Task {
            try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: .seconds(60))
        }
        _ = await clock.nextSleeper() // The reader found nothing and is now waiting.
        _ = try await log.append("other", fields: [:])
        let id = try await log.append("s", fields: ["n": "woken"])
        let delivered = try await reader.value
        #expect(delivered.map(\.entry.id) == [id], "woken by the append, without the clock moving")
    }

    static func readNewWaitTimesOut(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        try await log.createGroup("s", group: "g", start: .tail)
        #expect(try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: nil).isEmpty)
        let reader = Task {
            try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: .seconds(5))
        }
        _ = await clock.nextSleeper()
        clock.advance(by: .seconds(5))
        #expect(try await reader.value.isEmpty)
    }

    static func readNewWaitEndsOnCancellation(_ factory: EventLogFactory) async throws {
        let (clock, log) = try await make(factory)
        try await log.createGroup("s", group: "g", start: .tail)
        let reader = Task {
            try await log.readNew("s", group: "g", consumer: "c", count: 10, wait: .seconds(60))
        }
        _ = await clock.nextSleeper()
        reader.cancel()
        #expect(try await reader.value.isEmpty)
    }

    static func unknownGroups(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        _ = try await log.append("s", fields: [:])
        await expectError(.noSuchGroup) { _ = try await log.readNew("s", group: "nope", consumer: "c", count: 1, wait: nil) }
        await expectError(.noSuchGroup) {
            _ = try await log.readNew("missing", group: "nope", consumer: "c", count: 1, wait: .seconds(1))
        }
        await expectError(.noSuchGroup) { _ = try await log.acknowledge("s", group: "nope", ids: [.zero]) }
        await expectError(.noSuchGroup) { _ = try await log.pending("s", group: "nope") }
        await expectError(.noSuchGroup) { _ = try await log.claim("s", group: "nope", consumer: "c", minIdle: .zero, count: 1) }
        await expectError(.noSuchGroup) { try await log.deadLetter("s", group: "nope", id: .zero, reason: "r") }
        await expectError(.noSuchGroup) { _ = try await log.deadLetterExhausted("s", group: "nope", maxDeliveries: 1) }
        #expect(try await log.groups("s").isEmpty)
        #expect(try await log.lag("s", group: "nope") == nil)
    }

    static func invalidArguments(_ factory: EventLogFactory) async throws {
        let (_, log) = try await make(factory)
        try await log.createGroup("s", group: "g", start: .beginning)
        await expectError(.invalidArgument) { _ = try await log.append("", fields: [:]) }
        await expectError(.invalidArgument) { _ = try await log.append("s", fields: [:], maxLength: -1) }
        await expectError(.invalidArgument) { try await log.createGroup("s", group: "", start: .tail) }
        await expectError(.invalidArgument) { _ = try await log.readNew("s", group: "g", consumer: "c", count: 0, wait: nil) }
        await expectError(.invalidArgument) { _ = try await log.readNew("s", group: "g", consumer: "", count: 1, wait: nil) }
        await expectError(.invalidArgument) { _ = try await log.claim("s", group: "g", consumer: "c", minIdle: .zero, count: 0) }
        await expectError(.invalidArgument) {
            _ = try await log.claim("s", group: "g", consumer: "c", minIdle: .seconds(-1), count: 1)
        }
        await expectError(.invalidArgument) { _ = try await log.deadLetterExhausted("s", group: "g", maxDeliveries: 0) }
        await expectError(.invalidArgument) { _ = try await log.range("s", from: .zero, to: .max, count: 0) }
        await expectError(.invalidArgument) { _ = try await log.reverseRange("s", from: .max, to: .zero, count: -1) }
        await expectError(.invalidArgument) { _ = try await log.length("") }
        await expectError(.notPending) { try await log.deadLetter("s", group: "g", id: .zero, reason: "r") }
    }
}
