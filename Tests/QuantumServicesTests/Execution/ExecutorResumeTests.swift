import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// Plans a killed executor left journaled as being sent, resumed by the next one against the real adapter and exchange.
@Suite struct ExecutorResumeTests {
    /// Leaves `plan` as a crashed executor would: claimed and journaled SUBMITTING, nothing on the exchange.
    private func journaledAsSent(_ plan: Plan, in f: PipelineFixture, side: OrderSide, reduceOnly: Bool) async throws {
        let entry = try await f.send(plan)
        let journal = PlanJournal(store: f.store, owner: f.configuration.consumerName)
        _ = try await journal.claim(plan, entryID: entry)
        try await journal.submitting(plan, order: PlanExecution.Order(side: side, quantity: Quantity("0.01")!, reduceOnly: reduceOnly))
    }

    /// Waits for the resumed plan's look-up to wait out its window, then lets the time pass.
    private func passTheAbsenceWindow(_ f: PipelineFixture) async {
        let due = await f.clock.sleeper(dueBy: f.clock.now().advanced(by: f.configuration.absenceWindow + .seconds(1)))
        f.clock.advance(to: due)
    }

    /// Defect 5: the kill switch went on while the executor was down. The journaled open is looked up, proven never to
    /// have reached the exchange, and then refused by the guard, not sent.
    @Test func Fault_aJournaledOpenResumedAfterARestartMeetsTheKillSwitch() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let plan = try f.openPlan(expiresIn: .seconds(120))
        try await journaledAsSent(plan, in: f, side: .buy, reduceOnly: false)
        try await f.store.setFields(StateKey.killSwitch, ["active": "true"])
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        f.run(f.applyLayer)
        await passTheAbsenceWindow(f)
        let result = try await results.result(plan.planID)
        #expect(result.decision == .rejected && result.reason == .killSwitch, "\(result)")
        #expect(await f.ordersOnExchange(plan.clientOrderID) == 0)
        #expect(try await f.results(for: plan.planID).count == 1)
    }

    /// Defect 5, for an exit: the kill switch does not hold it back; proven absent, it is sent and executes.
    @Test func Fault_aJournaledExitResumedAfterARestartGoesOutWhateverTheGuards() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let open = try f.openPlan()
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.send(open)
        #expect(try await results.result(open.planID).executed)
        await f.stopServices()
        let close = f.closePlan()
        try await journaledAsSent(close, in: f, side: .sell, reduceOnly: true)
        try await f.store.setFields(StateKey.killSwitch, ["active": "true"])
        f.run(f.applyLayer)
        await passTheAbsenceWindow(f)
        let result = try await results.result(close.planID)
        #expect(result.executed, "\(result)")
        #expect(try await f.exchangePosition() == .zero)
        #expect(await f.ordersOnExchange(close.clientOrderID) == 1)
    }
}
