import Foundation
import QuantumCore
import QuantumServices

/// The summary of a soak's seeds: a table for people, JSON for machines, and for every failing seed what is needed
/// to see and replay the failure.
public struct SoakReport: Sendable {
    public let outcomes: [SoakOutcome]
    /// The command that replays a seed.
    public let command: @Sendable (UInt64) -> String

    public init(outcomes: [SoakOutcome], command: @escaping @Sendable (UInt64) -> String) {
        self.outcomes = outcomes
        self.command = command
    }

    /// Violations of each invariant over every seed (0 included).
    public var violations: [SoakInvariant: Int] {
        outcomes.reduce(into: Dictionary(uniqueKeysWithValues: SoakInvariant.allCases.map { ($0, 0) })) { totals, outcome in
            for (invariant, count) in outcome.violations { totals[invariant, default: 0] += count }
        }
    }

    /// Faults injected of each kind over every seed (0 included).
    public var faultsInjected: [SoakFault: Int] {
        outcomes.reduce(into: Dictionary(uniqueKeysWithValues: SoakFault.allCases.map { ($0, 0) })) { totals, outcome in
            for (fault, count) in outcome.faultsInjected { totals[fault, default: 0] += count }
        }
    }

    /// Wall seconds per simulated day of each seed, sorted.
    public var wallPerSimulatedDay: [Double] {
        outcomes.filter { $0.simulatedSeconds > 0 }.map { $0.wallSeconds * 86_400 / $0.simulatedSeconds }.sorted()
    }

    /// The `p`-th percentile (0…1) of sorted values, nearest rank.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }

    public var text: String {
        var lines = ["seed  trades  faults  violations  trace hash    wall s"]
        for outcome in outcomes {
            lines.append(String(format: "%4llu  %6d  %6d  %10d  %@  %6.1f", outcome.seed, outcome.trades, outcome.faultsInjected.values.reduce(0, +),
                                outcome.violations.values.reduce(0, +), String(outcome.traceHash.prefix(12)), outcome.wallSeconds))
        }
        let total = violations
        lines.append("")
        lines.append("violations: " + SoakInvariant.allCases.map { "\($0.rawValue) \(total[$0] ?? 0)" }.joined(separator: ", "))
        let injected = faultsInjected
        lines.append("faults injected: " + SoakFault.allCases.map { "\($0.rawValue) \(injected[$0] ?? 0)" }.joined(separator: ", "))
        lines.append(String(format: "%d seeds, %d trades, %.1f s wall", outcomes.count, outcomes.map(\.trades).reduce(0, +),
                            outcomes.map(\.wallSeconds).reduce(0, +)))
        let perDay = wallPerSimulatedDay
        if !perDay.isEmpty {
            lines.append(String(format: "wall per simulated day: p50 %.1f s, p90 %.1f s, max %.1f s", Self.percentile(perDay, 0.5),
                                Self.percentile(perDay, 0.9), perDay.last!))
        }
        for outcome in outcomes where outcome.violated {
            lines.append("")
            lines.append("SEED \(outcome.seed) FAILED")
            if let failure = outcome.failure { lines.append("  \(failure)") }
            if let first = outcome.firstViolation {
                lines.append("  first violation: \(first.invariant.rawValue) at \(first.time) (simulated), scheduler step \(first.step): \(first.detail)")
                lines.append("  trace excerpt:")
                lines += outcome.excerpt.map { "    " + String($0.prefix(240)) }
            }
            if let file = outcome.traceFile { lines.append("  full trace: \(file)") }
            lines.append("  replay: \(command(outcome.seed))")
        }
        return lines.joined(separator: "\n")
    }

    public var json: String {
        func object<K: RawRepresentable & Comparable>(_ values: [K: Int]) -> String where K.RawValue == String {
            "{" + values.sorted { $0.key < $1.key }.map { "\"\($0.key.rawValue)\": \($0.value)" }.joined(separator: ", ") + "}"
        }
        let seeds = outcomes.map { outcome -> String in
            var violations = Dictionary(uniqueKeysWithValues: SoakInvariant.allCases.map { ($0, 0) })
            violations.merge(outcome.violations) { $1 }
            var faults = Dictionary(uniqueKeysWithValues: SoakFault.allCases.map { ($0, 0) })
            faults.merge(outcome.faultsInjected) { $1 }
            var fields = [
                "\"seed\": \(outcome.seed)", "\"violations\": \(object(violations))", "\"faults_injected\": \(object(faults))",
                "\"trades\": \(outcome.trades)", "\"trace_hash\": \"\(outcome.traceHash)\"",
                String(format: "\"wall_seconds\": %.3f", outcome.wallSeconds), "\"steps\": \(outcome.steps)", "\"escaped_jobs\": \(outcome.escapedJobs)",
            ]
            if let first = outcome.firstViolation {
                fields.append("\"first_violation\": {\"invariant\": \"\(first.invariant.rawValue)\", \"time\": \(first.time.rawValue), \"step\": \(first.step), \"detail\": \(first.detail.jsonQuoted)}")
                fields.append("\"replay\": \(command(outcome.seed).jsonQuoted)")
            }
            if let failure = outcome.failure { fields.append("\"failure\": \(failure.jsonQuoted)") }
            if let file = outcome.traceFile { fields.append("\"trace_file\": \(file.jsonQuoted)") }
            return "{" + fields.joined(separator: ", ") + "}"
        }
        return """
            {"seeds": [\(seeds.joined(separator: ",\n  "))],
             "violations": \(object(violations)),
             "faults_injected": \(object(faultsInjected)),
             "trades": \(outcomes.map(\.trades).reduce(0, +)),
             "wall_seconds": \(String(format: "%.3f", outcomes.map(\.wallSeconds).reduce(0, +))),
             "wall_seconds_per_simulated_day": {"p50": \(String(format: "%.3f", Self.percentile(wallPerSimulatedDay, 0.5))), \
            "p90": \(String(format: "%.3f", Self.percentile(wallPerSimulatedDay, 0.9))), "max": \(String(format: "%.3f", wallPerSimulatedDay.last ?? 0))}}
            """
    }
}

extension String {
    /// The string as a JSON string literal.
    var jsonQuoted: String { "\"" + jsonEscaped + "\"" }
}
