import QuantumBus
import QuantumCore
import QuantumServices
import QuantumTestSupport
import Testing

/// How a consumer takes back what its group was delivered and never acknowledged.
@Suite(.timeLimit(.minutes(3))) struct TypedConsumerTests {
    private func setUp() async throws -> (ManualEpochClock, InMemoryEventLog, TypedConsumer<Plan>, EntryID) {
        let clock = ManualEpochClock()
        let log = InMemoryEventLog(clock: clock)
        let consumer = TypedConsumer<Plan>(log: log, stream: StreamName.plan, group: GroupName.applyLayer, consumer: "apply-layer-1")
        try await consumer.prepare()
        let id = try await log.append(StreamName.plan, fields: MessageFixtures.openPlan.encoded())
        return (clock, log, consumer, id)
    }

    /// The executor's read loop reclaims on every empty read while a slow plan is still in its lane. Found by running the
    /// system on Redis: exits in hand were claimed on each empty read (their delivery count going up with no delivery),
    /// and dead-lettered as exhausted after five, while they were being executed.
    @Test func Fault_aPlanInHandIsNeitherClaimedNorDeadLetteredByTheReclaimLoop() async throws {
        let (clock, log, consumer, id) = try await setUp()
        #expect(try await consumer.next(count: 10, wait: nil).map(\.id) == [id])
        for _ in 0..<12 {
            clock.advance(by: .seconds(1))
            #expect(try await consumer.reclaim(staleAfter: .seconds(60), inHand: [id]).isEmpty)
        }
        #expect(try await log.pending(StreamName.plan, group: GroupName.applyLayer).map(\.deliveryCount) == [1])
        #expect(try await log.length(planDeadLetters) == 0)
    }

    /// After a restart nothing is in hand: the previous run's entries come back at once, and one delivered too often goes
    /// to the dead letters with its reason.
    @Test func aRestartTakesBackItsOwnEntriesAndDeadLettersExhaustedOnes() async throws {
        let (_, log, consumer, id) = try await setUp()
        _ = try await consumer.next(count: 10, wait: nil)
        for attempt in 2...5 { #expect(try await consumer.reclaim().map(\.deliveryCount) == [attempt]) }
        #expect(try await consumer.reclaim().isEmpty, "the fifth delivery was the last")
        let letters = try await log.range(planDeadLetters, from: .zero, to: .max, count: 10)
        #expect(letters.compactMap { DeadLetter(fields: $0.fields) }.map(\.originalID) == [id])
        #expect(letters.first?.fields[DeadLetter.reasonField] == "delivered 5 times (max 5)")
    }

    /// A peer's entries are taken over only once idle for `staleAfter`.
    @Test func aPeersEntriesAreTakenOverOnlyWhenStale() async throws {
        let (clock, log, consumer, id) = try await setUp()
        _ = try await log.readNew(StreamName.plan, group: GroupName.applyLayer, consumer: "apply-layer-2", count: 10, wait: nil)
        clock.advance(by: .seconds(59))
        #expect(try await consumer.reclaim(staleAfter: .seconds(60)).isEmpty)
        clock.advance(by: .seconds(1))
        #expect(try await consumer.reclaim(staleAfter: .seconds(60)).map(\.id) == [id])
    }
}

private let planDeadLetters = InMemoryEventLog.deadLetterStream(for: StreamName.plan)
