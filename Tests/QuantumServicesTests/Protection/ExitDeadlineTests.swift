import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import Testing

/// Invariant 10 for exits: a terminal result within the deadline of the plan's creation, and every miss
/// is counted (and alerted) exactly once — whether the watcher sees it late or it ends late.
@Suite(.timeLimit(.minutes(3))) struct ExitDeadlineTests {
    let start = EpochMillis(1_750_000_000_000)

    @Test func aLatePlanIsReportedOnceByTheWatcherAndNotAgainWhenItEnds() async {
        let deadlines = ExitDeadlines()
        await deadlines.begin("close:BTCUSDT:e1", deadline: start.advanced(by: .seconds(5)))
        #expect(await deadlines.overdue(at: start.advanced(by: .seconds(5))).isEmpty)
        #expect(await deadlines.overdue(at: start.advanced(by: .seconds(6))).map(\.planID) == ["close:BTCUSDT:e1"])
        #expect(await deadlines.overdue(at: start.advanced(by: .seconds(7))).isEmpty)
        #expect(await deadlines.end("close:BTCUSDT:e1", at: start.advanced(by: .seconds(8))) == false)
    }

    @Test func aPlanEndingLateUnseenIsReportedAtItsEndAndOnTimeIsNot() async {
        let deadlines = ExitDeadlines()
        await deadlines.begin("a", deadline: start.advanced(by: .seconds(5)))
        await deadlines.begin("b", deadline: start.advanced(by: .seconds(5)))
        #expect(await deadlines.end("a", at: start.advanced(by: .seconds(4))) == false)
        #expect(await deadlines.end("b", at: start.advanced(by: .seconds(6))) == true)
        #expect(await deadlines.end("b", at: start.advanced(by: .seconds(7))) == false)
    }

    @Test func anExitHandledAfterItsDeadlineIsCountedAndOneOnTimeIsNot() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await ProtectiveStopTests.open(f, results)
        let onTime = try f.reducePlan(quantity: "0.002", rung: nil)
        try await f.send(onTime)
        #expect(try await results.result(onTime.planID).executed)
        #expect(try await f.stat(.exitDeadlineMisses) == 0)

        // A close created 6 s ago (its intent sat in a stalled queue): executed, and the miss is on the record.
        let late = f.closePlan()
        f.clock.advance(by: .seconds(6))
        try await f.send(late)
        #expect(try await results.result(late.planID).executed)
        #expect(try await f.stat(.exitDeadlineMisses) == 1)
    }
}
