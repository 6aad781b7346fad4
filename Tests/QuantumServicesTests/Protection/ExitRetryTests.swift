import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// An exit that fills nothing is tried again under the decision's next attempt, until the position is flat;
/// one attempt still never fills twice.
@Suite(.timeLimit(.minutes(3))) struct ExitRetryTests {
    static let decision = PlanIdentity.close(PipelineFixture.btc, PositionEpoch(rawValue: 1)!)

    /// The close plan of epoch 1 under `attempt`.
    static func close(_ f: PipelineFixture, attempt: Int) -> Plan {
        let identity = decision.attempt(attempt)
        var plan = f.closePlan()
        plan.planID = identity.planID
        plan.clientOrderID = identity.clientOrderID
        return plan
    }

    @Test func Fault_aRefusedCloseIsRetriedUnderItsNextAttemptAndFillsOnce() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await ProtectiveStopTests.open(f, results)

        await f.venue.faults { $0.refusedExits = 1 }
        let first = Self.close(f, attempt: 0)
        try await f.send(first)
        let refused = try await results.result(first.planID)
        #expect(refused.decision == .rejected && refused.reason == .venueRejected(code: -4131))
        // The decision is open for its next attempt, which is a new plan id and a new client order id.
        #expect(try await f.store.get(StateKey.exitAttempt(Self.decision.planID)) == "1")
        #expect(try await f.stat(.exitRetries) == 1)
        let again = Self.close(f, attempt: 1)
        #expect(again.planID == "close:BTCUSDT:e1:a1" && again.clientOrderID != first.clientOrderID)
        try await f.send(again)
        #expect(try await results.result(again.planID).executed)
        #expect(try await f.exchangePosition() == .zero)

        // A repeat of the executed attempt is a duplicate: the decision filled once.
        try await f.send(again)
        #expect(try await results.next { $0["plan_id"] == again.planID }["decision"] == "DUPLICATE")
        #expect(await f.ordersOnExchange(again.clientOrderID) == 1)
    }

    @Test func Fault_aBreachedStopWhoseCloseIsRefusedIsClosedByTheMonitorsRetry() async throws {
        let (f, results, events) = try await ProtectionMonitorTests.start()
        defer { Task { await f.stop() } }
        try await ProtectiveStopTests.open(f, results)
        _ = try await f.venue.venue.cancelConditional(ProtectionMonitorTests.stopID("98000"))
        try await f.freshMarket(PipelineFixture.btc, "97500")
        await f.venue.faults { $0.refusedExits = 2 }
        await ProtectionMonitorTests.tick(f)
        _ = try await events.next { $0["kind"] == "stop_breached" }
        #expect(try await results.result(Self.decision.planID).reason == .venueRejected(code: -4131))
        // The monitor keeps finding the breach; each retry waits out its backoff, then goes under the next attempt.
        var attempt = 1
        var closed = false
        for _ in 0..<400 where !closed {
            await ProtectionMonitorTests.tick(f)
            let mine = try await f.results().filter { PlanIdentity.decisionID(ofPlanID: $0.planID) == Self.decision.planID }
            attempt = mine.count
            closed = mine.contains { $0.executed }
        }
        #expect(closed, "the position was never closed")
        #expect(attempt == 3)  // two refused, the third filled
        #expect(try await f.exchangePosition() == .zero)
    }
}
