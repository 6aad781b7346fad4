import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import Testing

/// Invariants 8–9: typed messages, dead letters for anything else, fresh events only.
@Suite(.timeLimit(.minutes(1))) struct MessageHygieneTests {
    func deadLetters(_ f: PipelineFixture) async throws -> [StreamEntry] {
        try await f.log.range(InMemoryEventLog.deadLetterStream(for: StreamName.plan), from: .zero, to: .max, count: 100)
    }

    @Test func FM06_aBacklogFromBeforeTheExecutorIsNeverTradedAndOldPlansExpire() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let stale = try f.openPlan()
        try await f.send(stale)   // days-old junk: written before the group exists
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let expiring = try f.openPlan(PipelineFixture.eth, quantity: "0.5", price: "3000", expiresIn: .seconds(1))
        f.clock.advance(by: .seconds(2))
        try await f.freshMarket(PipelineFixture.eth, "3000")
        try await f.send(expiring)
        let result = try await watcher.result(expiring.planID)
        #expect(result.decision == .expired && result.reason == .planExpired)
        #expect(try await f.results(for: stale.planID).isEmpty)
        #expect(await f.allOrdersOnExchange() == 0)
    }

    @Test func FM11_FM33_FM34_driftedFieldsWordsAndBooleansAreDeadLettered() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan(quantity: "0.015")
        try await f.send(open)
        #expect(try await watcher.result(open.planID).executed)
        let rung = try f.reducePlan(quantity: "0.005", rung: 1)
        var qty = rung.encoded()                       // FM-11: `qty` for `quantity`
        qty["qty"] = qty.removeValue(forKey: "quantity")
        var word = rung.encoded()                      // FM-33: a drifted action word
        word["action"] = "PARTIAL_25_PROPOSED"
        var boolean = rung.encoded()                   // FM-34: "True" for true
        boolean["reduceOnly"] = "True"
        for fields in [qty, word, boolean] { _ = try await f.log.append(StreamName.plan, fields: fields) }
        try await f.send(rung)                         // the canonical PARTIAL_25 executes
        #expect(try await watcher.result(rung.planID).executed)
        let reasons = try await deadLetters(f).map { $0.fields[DeadLetter.reasonField] ?? "" }
        #expect(reasons.count == 3, "\(reasons)")
        #expect(reasons.count == 3 && reasons[0].contains("quantity") && reasons[1].contains("action") && reasons[2].contains("reduceOnly"), "\(reasons)")
        #expect(try await f.exchangePosition() == Quantity("0.01")!)
        #expect(try await f.results().allSatisfy { ["true", "false"].contains($0.encoded()["executed"]) })
    }

    @Test func FM35_unexpectedRecordKindsNeverStopTheExecutor() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        // A SKIP result, an unknown type and garbage land on the plan stream.
        let skip = ApplyResult(planID: "x", symbol: PipelineFixture.btc, action: .openLong, decision: .skipped, reason: .noPosition, createdAt: f.clock.now())
        _ = try await f.log.append(StreamName.plan, fields: skip.encoded())
        _ = try await f.log.append(StreamName.plan, fields: ["type": "trade.closed", "v": "1", "ts": "1"])
        _ = try await f.log.append(StreamName.plan, fields: ["hello": "world"])
        let open = try f.openPlan()
        try await f.send(open)
        #expect(try await watcher.result(open.planID).executed)
        #expect(try await deadLetters(f).count == 3)
        #expect(try await f.log.groups(StreamName.plan).first?.pending == 0)
    }
}
