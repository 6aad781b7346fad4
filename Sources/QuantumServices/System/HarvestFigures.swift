import Foundation
import QuantumBus
import QuantumCore

/// How well exits worked: the figures `quantum run`'s summary, `quantum results` and the doctor report.
///
/// The counters are written by the executor in the same atomic update as the fills they describe; the
/// close rate comes from the results stream (exit plans answered, executed or not).
public struct HarvestFigures: Hashable, Sendable {
    /// Executed exits by reason word (`kill_score`, `stop_loss`, `ladder_rung`, `manual`, `liquidation`, …).
    public var exitsByReason: [String: Int64] = [:]
    public var exitsExecuted: Int64 = 0
    public var exitDeadlineMisses: Int64 = 0
    public var unprotectedPositionSeconds = 0.0
    public var winnersScaled: Int64 = 0
    public var losersCut: Int64 = 0
    public var positionsClosed: Int64 = 0
    /// Mean R of closed positions; `nil` before the first close.
    public var averageRCaptured: Double?
    /// Exit plans (closes and reduces) answered, duplicates aside, and how many of them executed.
    public var exitPlansAnswered = 0
    public var exitPlansExecuted = 0
    /// Exit plans answered that found the position already closed (`no_position`: another exit of the same bar, or the
    /// exchange's stop, got there first), left out of the close rate.
    public var exitPlansAlreadyFlat = 0

    public init() {}

    /// Executed exit plans over exit plans answered that had a position to close; `nil` before the first.
    ///
    /// An exit that found nothing left to close did its job: counted against the rate, a harvest rung that met
    /// exit-brain's close on one bar showed a week of clean exits as 98.5 %.
    public var closeRate: Double? {
        let due = exitPlansAnswered - exitPlansAlreadyFlat
        return due <= 0 ? nil : Double(exitPlansExecuted) / Double(due)
    }

    /// Counts one result entry of the stream.
    public mutating func count(result fields: [String: String]) {
        guard let action = fields["action"].flatMap(PlanAction.init(rawValue:)), action.isReduceOnly, action != .moveStop,
              let decision = fields["decision"].flatMap(ResultDecision.init(rawValue:)), decision != .duplicate else { return }
        exitPlansAnswered += 1
        if decision == .executed { exitPlansExecuted += 1 }
        if decision == .skipped, fields["error"] == DecisionReason.noPosition.word { exitPlansAlreadyFlat += 1 }
    }

    /// Reads the executor's counters (the stream part comes from `count(result:)`).
    public mutating func readCounters(_ store: any StateStore) async throws {
        func stat(_ s: ExecutorStat) async throws -> Int64 { try await store.get(StateKey.stat(s)).flatMap(Int64.init) ?? 0 }
        exitsExecuted = try await stat(.exitsExecuted)
        exitDeadlineMisses = try await stat(.exitDeadlineMisses)
        unprotectedPositionSeconds = Double(try await stat(.unprotectedMillis)) / 1_000
        winnersScaled = try await stat(.winnersScaled)
        losersCut = try await stat(.losersCut)
        positionsClosed = try await stat(.positionsClosed)
        averageRCaptured = positionsClosed == 0 ? nil : Double(try await stat(.rCapturedMicros)) / 1_000_000 / Double(positionsClosed)
        exitsByReason = [:]
        for key in try await store.keys(prefix: StateKey.exitsByReasonPrefix) {
            exitsByReason[String(key.dropFirst(StateKey.exitsByReasonPrefix.count))] = try await store.get(key).flatMap(Int64.init) ?? 0
        }
    }

    /// The figures as JSON members (no braces), for the run summary's object.
    public var jsonMembers: String {
        let reasons = exitsByReason.sorted { $0.key < $1.key }.map { "\"\($0.key.jsonEscaped)\": \($0.value)" }.joined(separator: ", ")
        return """
              "exits_by_reason": {\(reasons)},
              "exits_executed": \(exitsExecuted),
              "exit_deadline_misses": \(exitDeadlineMisses),
              "unprotected_position_seconds": \(String(format: "%.3f", unprotectedPositionSeconds)),
              "winners_scaled": \(winnersScaled),
              "losers_cut": \(losersCut),
              "positions_closed": \(positionsClosed),
              "avg_r_captured": \(averageRCaptured.map { String(format: "%.4f", $0) } ?? "null"),
              "close_rate": \(closeRate.map { String(format: "%.4f", $0) } ?? "null"),
              "exit_plans_already_flat": \(exitPlansAlreadyFlat)
            """
    }

    /// Human lines.
    public var text: String {
        let reasons = exitsByReason.isEmpty ? "none" : exitsByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return """
            exits executed      \(exitsExecuted) (\(reasons))
            exit deadline miss  \(exitDeadlineMisses)
            unprotected         \(String(format: "%.1f", unprotectedPositionSeconds)) position-seconds
            winners scaled      \(winnersScaled)
            losers cut          \(losersCut)
            positions closed    \(positionsClosed), average R captured \(averageRCaptured.map { String(format: "%.2f", $0) } ?? "n/a")
            close rate          \(closeRate.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a") (\(exitPlansExecuted) of \(exitPlansAnswered - exitPlansAlreadyFlat) exit plans executed\(exitPlansAlreadyFlat == 0 ? "" : "; \(exitPlansAlreadyFlat) found the position already closed"))

            """
    }
}
