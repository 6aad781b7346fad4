import Foundation
import QuantumBus
import QuantumCore
import QuantumOps
import QuantumServices
import QuantumTestSupport
import Testing

/// The run summary and its harvest figures: read through the operators' snapshot reader from what the executor
/// recorded, printed as valid JSON.
@Suite(.timeLimit(.minutes(3))) struct RunSummaryTests {
    @Test func harvestFiguresComeFromTheExecutorsCountersAndTheResults() async throws {
        let clock = ManualEpochClock()
        let log = InMemoryEventLog(clock: clock)
        let store = InMemoryStateStore(clock: clock)
        try await store.update([
            .increment(key: StateKey.stat(.exitsExecuted), by: 3),
            .increment(key: StateKey.exitsByReason("kill_score"), by: 1),
            .increment(key: StateKey.exitsByReason("ladder_rung"), by: 2),
            .increment(key: StateKey.stat(.exitDeadlineMisses), by: 1),
            .increment(key: StateKey.stat(.unprotectedMillis), by: 1_500),
            .increment(key: StateKey.stat(.winnersScaled), by: 1),
            .increment(key: StateKey.stat(.losersCut), by: 1),
            .increment(key: StateKey.stat(.positionsClosed), by: 2),
            .increment(key: StateKey.stat(.rCapturedMicros), by: 2_500_000),
        ])
        for (action, decision) in [("FULL_CLOSE_PROPOSED", "EXECUTED"), ("PARTIAL_25", "EXECUTED"), ("FULL_CLOSE_PROPOSED", "SKIPPED"),
                                   ("FULL_CLOSE_PROPOSED", "DUPLICATE"), ("OPEN_LONG", "EXECUTED"), ("MOVE_STOP", "EXECUTED")] {
            _ = try await log.append(StreamName.result, fields: ["action": action, "decision": decision, "error": decision == "SKIPPED" ? "venue_unavailable" : ""])
        }
        // A rung that found the position already closed by the close beside it is not a close left undone.
        _ = try await log.append(StreamName.result, fields: ["action": "PARTIAL_25", "decision": "SKIPPED", "error": "no_position"])
        for action in ["OPEN_LONG", "FULL_CLOSE_PROPOSED"] { _ = try await log.append(StreamName.plan, fields: ["action": action]) }
        _ = try await log.append(StreamName.intentRejected, fields: ["error": "stale_price"])
        let summary = try await RunSummary.read(log: log, store: store)
        #expect(summary.plans == 2)
        #expect(summary.resultsByDecision == [.executed: 4, .skipped: 2, .duplicate: 1])
        #expect(summary.intentsRefused == 1)
        // The summary and the snapshot behind the doctor, /metrics and the dashboard are one reading.
        let snapshot = try await SnapshotReader(log: log, store: store).read()
        #expect(summary == RunSummary(snapshot))
        let h = summary.harvest
        #expect(h.exitsExecuted == 3)
        #expect(h.exitsByReason == ["kill_score": 1, "ladder_rung": 2])
        #expect(h.unprotectedPositionSeconds == 1.5)
        #expect(h.averageRCaptured == 1.25)
        #expect(h.exitPlansAnswered == 4 && h.exitPlansExecuted == 2 && h.exitPlansAlreadyFlat == 1)

        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
        for key in ["plans", "results_by_decision", "orders_sent", "fills", "duplicates_prevented", "positions_open", "realized_pnl", "fees",
                    "max_drawdown", "exits_by_reason", "exits_executed", "exit_deadline_misses", "unprotected_position_seconds",
                    "winners_scaled", "losers_cut", "avg_r_captured", "close_rate", "exit_plans_already_flat"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect((json["exits_by_reason"] as? [String: Int])?["ladder_rung"] == 2)
        #expect(json["losers_cut"] as? Int == 1)
        #expect(json["exit_plans_already_flat"] as? Int == 1)
        #expect(summary.text.contains("close rate          66.7 % (2 of 3 exit plans executed; 1 found the position already closed)"))
    }

    @Test func beforeAnyCloseTheAveragesAreNullNotZero() async throws {
        let clock = ManualEpochClock()
        let summary = try await RunSummary.read(log: InMemoryEventLog(clock: clock), store: InMemoryStateStore(clock: clock))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.json.utf8)) as? [String: Any])
        #expect(json["avg_r_captured"] is NSNull)
        #expect(json["close_rate"] is NSNull)
    }
}
