import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import Testing

/// Invariants 1–3: one executor, one order per plan identity, no stacking.
@Suite(.timeLimit(.minutes(1))) struct ExactlyOnceTests {
    @Test func FM01_repeatedOpenSignalsNeverStackAPosition() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan()
        // The stateless bot repeats itself: the same open three times, then a later attempt while the position exists.
        for _ in 0..<3 { try await f.send(open) }
        let retry = try f.openPlan(attempt: 1)
        try await f.send(retry)
        #expect(try await watcher.result(open.planID).decision == .executed)
        #expect(try await watcher.result(open.planID).decision == .duplicate)
        #expect(try await watcher.result(open.planID).reason == .duplicatePlan)
        let refused = try await watcher.result(retry.planID)
        #expect(refused.decision == .rejected && refused.reason == .positionAlreadyExists)
        #expect(await f.ordersOnExchange(open.clientOrderID) == 1)
        #expect(await f.allOrdersOnExchange() == 1)
        #expect(try await f.exchangePosition() == Quantity("0.01")!)
        #expect(try await f.stat(.duplicatesPrevented) == 2)
    }

    @Test func FM02_twoExecutorsOnOneGroupExecuteEachPlanOnce() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        // A second executor process on the same bus and store: same group, its own consumer name.
        var second = f.configuration
        second.consumerName = "apply-layer-2"
        let other = ApplyLayer(venue: f.venue.venue, log: f.log, store: f.store, clock: f.clock, symbols: [PipelineFixture.btc, PipelineFixture.eth],
                               configuration: second, logger: VenueFixture.quietLogger)
        let task = Task { try await other.run() }
        defer { task.cancel() }
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let plans = [try f.openPlan(PipelineFixture.btc), try f.openPlan(PipelineFixture.eth, .short, quantity: "0.5", price: "3000")]
        for plan in plans { try await f.send(plan); try await f.send(plan) }
        var decisions: [String: [ResultDecision]] = [:]
        for _ in 0..<4 {
            let result = try ApplyResult.decode(try await watcher.next())
            decisions[result.planID, default: []].append(result.decision)
        }
        for plan in plans {
            #expect(decisions[plan.planID]?.sorted { $0.rawValue < $1.rawValue } == [.duplicate, .executed])
            #expect(await f.ordersOnExchange(plan.clientOrderID) == 1)
        }
        #expect(try await f.log.groups(StreamName.plan).map(\.name) == [GroupName.applyLayer])
    }

    @Test func FM32_identityIsTheBusinessIdentityNotTheMessage() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan(quantity: "0.018")
        try await f.send(open)
        #expect(try await watcher.result(open.planID).executed)
        // A ladder rung re-fired with a fresh timestamp and intent id is the same tranche: taken once (not 50 % → 25 % → 12.5 %).
        let rung = try f.reducePlan(quantity: "0.005", rung: 1)
        var again = rung
        again.intentID = "another-intent"
        again.createdAt = f.clock.now()
        try await f.send(rung)
        try await f.send(again)
        #expect(try await watcher.result(rung.planID).executed)
        #expect(try await watcher.result(rung.planID).decision == .duplicate)
        #expect(try await f.exchangePosition() == Quantity("0.013")!)
        // Too wide would merge different business events: the next rung, and the next epoch's open, are new plans.
        let rung2 = try f.reducePlan(quantity: "0.005", rung: 2)
        try await f.send(rung2)
        #expect(try await watcher.result(rung2.planID).executed)
        let close = f.closePlan()
        try await f.send(close)
        #expect(try await watcher.result(close.planID).executed)
        let nextEpoch = try f.openPlan(epoch: 2)
        #expect(nextEpoch.planID != open.planID && nextEpoch.clientOrderID != open.clientOrderID)
        try await f.send(nextEpoch)
        #expect(try await watcher.result(nextEpoch.planID).executed)
        #expect(try await f.position()?.epoch == PositionEpoch(rawValue: 2))
    }

    @Test func FM44_resultsCarryTheDecisiveReason() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        // Kill switch and stale market at once: the kill switch decides (guard order), not whatever was checked last.
        try await f.store.setFields(StateKey.killSwitch, ["active": "true"])
        try await f.store.delete(StateKey.marketState(PipelineFixture.btc))
        let open = try f.openPlan()
        try await f.send(open)
        let refused = try await watcher.result(open.planID)
        #expect(refused.reason == .killSwitch)
        #expect(refused.encoded()["error"] == "kill_switch")
        // Repeating it answers `duplicate_plan`, not the earlier refusal.
        try await f.send(open)
        #expect(try await watcher.result(open.planID).encoded()["error"] == "duplicate_plan")
        // An executed result has no error field at all.
        try await f.store.delete(StateKey.killSwitch)
        try await f.freshMarket(PipelineFixture.btc, "100000")
        let retry = try f.openPlan(attempt: 1)
        try await f.send(retry)
        let done = try await watcher.result(retry.planID)
        #expect(done.executed && done.encoded()["error"] == nil)
    }
}
