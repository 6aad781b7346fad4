import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// Plans a killed executor left journaled as being sent, resumed by the next one against the real adapter and exchange.
@Suite(.timeLimit(.minutes(3))) struct ExecutorResumeTests {
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
        // Defect 11: a resumed exit is judged against its deadline like any other (it ran late: the absence window).
        #expect(try await f.stat(.exitDeadlineMisses) == 1)
    }

    /// Defect 11: the epoch key lost while the executor was down. Restored from the journal at start, so the next open
    /// is epoch 2 (before: epoch 1 again, whose plan id and client order id were already used).
    @Test func Fault_aLostEpochKeyIsRestoredFromTheJournal() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan()
        try await f.send(open)
        #expect(try await results.result(open.planID).executed)
        let close = f.closePlan()
        try await f.send(close)
        #expect(try await results.result(close.planID).executed)
        await f.stopServices()
        _ = try await f.store.delete(StateKey.epoch(PipelineFixture.btc))
        try await f.startExecutor()
        #expect(try await f.store.get(StateKey.epoch(PipelineFixture.btc)) == "1")
        let next = try f.openPlan(epoch: 2)
        try await f.send(next)
        #expect(try await results.result(next.planID).executed)
    }

    /// Defect 11: a plan whose venue call is cut short by a shutdown ends without a result (before: "rejected,
    /// venue_unavailable"), and the next run finishes it with one.
    @Test func Fault_aPlanCancelledByAShutdownIsResumedNotReported() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        await f.venue.faults { $0.latency = .milliseconds(400) }
        let open = try f.openPlan(expiresIn: .seconds(120))
        try await f.send(open)
        while try await f.store.fields(StateKey.journal(open.planID)).isEmpty { await Task.yield() }
        await f.stopServices()
        #expect(try await f.results(for: open.planID).isEmpty)
        await f.venue.faults { $0.latency = .zero }
        let results = try await StreamWatcher.start(f.log, StreamName.result, fromStart: true)
        try await f.startExecutor()
        let result = try await results.result(open.planID)
        #expect(result.executed, "\(result)")
        #expect(try await f.results(for: open.planID).count == 1)
    }
}
