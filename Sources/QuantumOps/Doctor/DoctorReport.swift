import Foundation
import QuantumCore
import QuantumServices

/// `quantum doctor`'s diagnosis: the seed incident report's whole manual investigation as a scorecard.
///
/// Pure: built from one `SystemSnapshot` and the wall-clock time, so a test can inject any fault into a
/// state directory and check both the lines and the exit code.
public struct DoctorReport: Sendable {
    /// How bad a finding is; any `critical` makes the doctor exit non-zero.
    public enum Severity: String, Hashable, Sendable, Comparable {
        case ok, info, warning, critical

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        var rank: Int { switch self { case .ok: 0; case .info: 1; case .warning: 2; case .critical: 3 } }
        var mark: String { switch self { case .ok, .info: "✅"; case .warning: "⚠️"; case .critical: "❌" } }
    }

    /// One scorecard line.
    public struct Finding: Hashable, Sendable {
        public var check: String
        public var severity: Severity
        public var detail: String
    }

    /// Limits beyond which a figure is a finding.
    public struct Configuration: Hashable, Sendable {
        /// A process whose newest heartbeat is older than this (wall clock) is not running.
        public var processGoneAfter: Duration = .seconds(15)
        /// Entries waiting for one consumer group: a warning above the first, critical above the second.
        public var lagWarning = 100
        public var lagCritical = 1_000
        /// Share of plans answered DUPLICATE above which a producer is repeating itself.
        public var duplicateRateWarning = 0.10

        public init() {}
    }

    public var findings: [Finding] = []
    public let snapshot: SystemSnapshot

    /// `2` when any finding is critical, else `0`.
    public var exitCode: Int32 { findings.contains { $0.severity == .critical } ? 2 : 0 }

    public init(snapshot: SystemSnapshot, wallNow: EpochMillis, configuration: Configuration = Configuration()) {
        self.snapshot = snapshot
        let s = snapshot
        func add(_ check: String, _ severity: Severity, _ detail: String) { findings.append(Finding(check: check, severity: severity, detail: detail)) }

        // The process and each service.
        let seen = !s.services.isEmpty
        let stoppedCleanly = seen && s.services.allSatisfy { $0.verdict == .stopped }
        let wallAge = s.lastWallBeat.map { Double(wallNow.rawValue - $0.rawValue) / 1_000 }
        if !seen {
            add("system", .warning, "no heartbeat ever recorded in this state: the system has not run here")
        } else if stoppedCleanly {
            add("system", .info, "stopped cleanly (every service reported its stop)")
        } else if let wallAge, wallAge > configuration.processGoneAfter.seconds {
            add("system", .critical, String(format: "DOWN: last heartbeat %.0f s ago and no clean stop (crashed or killed)", wallAge))
        } else {
            add("system", .ok, "running" + (wallAge.map { String(format: " (last heartbeat %.1f s ago)", $0) } ?? ""))
        }
        let running = seen && !stoppedCleanly
        for service in s.services {
            let exitPath = HealthMonitor.exitPath.contains(service.service)
            let age = service.heartbeatAge.map { String(format: "beat %.1f s before the newest", $0) } ?? "never beat"
            let what = "\(service.verdict.rawValue), \(age), \(service.restarts) restart\(service.restarts == 1 ? "" : "s")"
            let severity: Severity = switch service.verdict {
            case .up, .stopped: service.restarts > 0 ? .warning : .ok
            case .dead: .critical
            case .stale, .missing: exitPath && running ? .critical : .warning
            }
            add("service \(service.service.rawValue)", severity, what + (exitPath ? " (exit path)" : ""))
        }
        if seen {
            for name in HealthMonitor.exitPath where !s.services.contains(where: { $0.service == name }) {
                add("service \(name.rawValue)", .critical, "missing: no heartbeat at all (exit path)")
            }
        }

        // The pipeline: signals, plans, results.
        let opens = (s.plansByAction[PlanAction.openLong.rawValue] ?? 0) + (s.plansByAction[PlanAction.openShort.rawValue] ?? 0)
        add("signal generation", opens > 0 ? .ok : .info, "\(opens) open plan\(opens == 1 ? "" : "s")")
        let decisions = s.resultsByDecision
        let executed = decisions[ResultDecision.executed.rawValue] ?? 0
        let failures = s.failuresByReason.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        add("plan results", .info, "\(executed) executed, \(decisions.values.reduce(0, +) - executed) not" + (failures.isEmpty ? "" : " (\(failures))"))

        // Exits: the seed's dead executor showed here first.
        let exits = s.exitPlans
        let misses = s.harvest.exitDeadlineMisses
        if exits.planned == 0 {
            add("exit execution", .ok, "no exit plans yet")
        } else if exits.executed == 0 && exits.planned >= 3 {
            add("exit execution", .critical, "DEAD: \(exits.planned) exit plans, none executed")
        } else {
            add("exit execution", .ok, "\(exits.executed) of \(exits.planned) exit plans executed, \(s.harvest.exitsExecuted) exits in all")
        }
        add("exit deadlines", misses == 0 ? .ok : .warning, "\(misses) exit plan\(misses == 1 ? "" : "s") handled after the deadline")

        // Duplicates: the guard working is fine; a producer repeating itself is not.
        let plans = s.plansByAction.values.reduce(0, +)
        let duplicates = decisions[ResultDecision.duplicate.rawValue] ?? 0
        let rate = plans == 0 ? 0 : Double(duplicates) / Double(plans)
        add("duplicate detection", rate > configuration.duplicateRateWarning ? .warning : .ok,
            String(format: "%d duplicate%@ stopped (%.1f %% of %d plans), %lld orders sent for %lld fills", duplicates, duplicates == 1 ? "" : "s",
                   rate * 100, plans, s.ordersSent, s.fills))

        // Positions against the exchange, and their protection.
        let halted = s.killSwitch.haltedSymbols.keys.filter { s.killSwitch.haltsLift[$0].map { s.asOf < $0 } ?? true }.sorted()
        // A drift halt lifts by itself after its cool-down once the symbol agrees with the exchange; one set by hand
        // (no end) needs a person (`quantum resume --symbol`).
        let forever = halted.filter { s.killSwitch.haltsLift[$0] == nil }
        let haltText = halted.map { symbol in
            s.killSwitch.haltsLift[symbol].map { "\(symbol) until \(Self.iso($0)) (lifts by itself once it agrees with the exchange)" }
                ?? "\(symbol) until `quantum resume --symbol \(symbol)`"
        }
        add("position truth", !forever.isEmpty ? .critical : (s.driftEvents == 0 && halted.isEmpty) ? .ok : .warning,
            "\(s.positions.count) open, \(s.driftEvents) drift event\(s.driftEvents == 1 ? "" : "s") against the exchange"
                + (halted.isEmpty ? "" : "; opens halted on " + haltText.joined(separator: "; ")))
        if s.unprotected.isEmpty {
            add("protective stops", .ok, "every open position has its live stop")
        } else {
            add("protective stops", .critical, "UNPROTECTED: " + s.unprotected.keys.sorted().joined(separator: ", ")
                + "; every open is halted until each has its stop again (the monitor repairs it, or closes the position, every second)")
        }

        // The bus.
        let observability: Set<String> = [StreamName.heartbeat, StreamName.serviceEvent]
        let lagging = s.consumers.filter { !observability.contains($0.stream) && $0.lag + $0.pending > configuration.lagWarning }
        let worst = lagging.map { $0.lag + $0.pending }.max() ?? 0
        add("consumer lag", worst > configuration.lagCritical ? .critical : lagging.isEmpty ? .ok : .warning,
            lagging.isEmpty ? "every consumer group within \(configuration.lagWarning) entries"
                : lagging.map { "\($0.group) on \($0.stream): \($0.lag) waiting, \($0.pending) pending" }.joined(separator: "; "))
        add("dead letters", s.deadLetterTotal == 0 ? .ok : .warning,
            s.deadLetterTotal == 0 ? "none" : s.deadLetters.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", "))

        // Guards.
        add("kill switch", s.killSwitch.active ? .warning : .ok,
            s.killSwitch.active ? "ACTIVE (opens halted): \(s.killSwitch.reason ?? "no reason")" : "off")
        add("exit-path guard", s.exitPathHalted.isEmpty || !running ? .ok : .critical,
            s.exitPathHalted.isEmpty ? "opens allowed"
                : "opens halted: \(s.exitPathHalted.joined(separator: ", ")) not healthy (lifts when they beat on time again)")
        let pauses = s.openPauses.until.filter { s.asOf < $0.value }.sorted { $0.value < $1.value }
        add("open pauses", pauses.isEmpty ? .ok : .warning,
            pauses.isEmpty ? "none" : pauses.map { "\($0.key.rawValue) until \(Self.iso($0.value)) (lifts by itself)" }.joined(separator: "; "))
        let churn = s.churnPauses.filter { s.asOf < $0.value }.sorted { $0.key < $1.key }
        add("churn pauses", churn.isEmpty ? .ok : .warning,
            churn.isEmpty ? "none" : churn.map { "\($0.key) until \(Self.iso($0.value)) (lifts by itself)" }.joined(separator: "; "))
    }

    /// The scorecard, the last plans by action and the money, as text.
    public var text: String {
        var lines = ["QUANTUM DOCTOR — state as of \(Self.iso(snapshot.asOf))", ""]
        for finding in findings { lines.append("\(finding.severity.mark) \(finding.check.padding(toLength: 26, withPad: " ", startingAt: 0)) \(finding.detail)") }
        lines.append("")
        let byAction = snapshot.plansByAction.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("plans by action      \(byAction.isEmpty ? "none" : byAction)")
        lines.append("last plans           " + (snapshot.recentPlans.isEmpty ? "none" : ""))
        for plan in snapshot.recentPlans {
            lines.append("  \(plan["action"] ?? "?") \(plan["symbol"] ?? "?") \(plan["plan_id"] ?? "?") from \(plan["source"] ?? "?")")
        }
        lines.append("equity \(snapshot.equity) USDT, realised PnL \(snapshot.realizedPnL) USDT, fees \(snapshot.fees) USDT")
        let verdict = exitCode == 0 ? "HEALTHY" : "CRITICAL — see the ❌ lines"
        lines.append("")
        lines.append("verdict: \(verdict)")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as one JSON object.
    public var json: String {
        let rows = findings.map { "{\"check\": \"\($0.check.jsonEscaped)\", \"severity\": \"\($0.severity.rawValue)\", \"detail\": \"\($0.detail.jsonEscaped)\"}" }
        let byAction = snapshot.plansByAction.sorted { $0.key < $1.key }.map { "\"\($0.key.jsonEscaped)\": \($0.value)" }.joined(separator: ", ")
        let lastPlans = snapshot.recentPlans.map { plan in
            "{" + ["plan_id", "action", "symbol", "source"].map { "\"\($0)\": \"\((plan[$0] ?? "").jsonEscaped)\"" }.joined(separator: ", ") + "}"
        }
        let failures = snapshot.failuresByReason.sorted { $0.key < $1.key }.map { "\"\($0.key.jsonEscaped)\": \($0.value)" }.joined(separator: ", ")
        return """
            {"healthy": \(exitCode == 0), "exit_code": \(exitCode), "as_of": \(snapshot.asOf.rawValue),
             "findings": [\(rows.joined(separator: ",\n  "))],
             "plans_by_action": {\(byAction)}, "failures_by_reason": {\(failures)},
             "last_plans": [\(lastPlans.joined(separator: ", "))],
             "equity": "\(snapshot.equity)", "realized_pnl": "\(snapshot.realizedPnL)", "fees": "\(snapshot.fees)"}

            """
    }

    static func iso(_ time: EpochMillis) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: Double(time.rawValue) / 1_000))
    }
}
