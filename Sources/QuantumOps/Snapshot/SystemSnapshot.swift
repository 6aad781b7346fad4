import QuantumCore
import QuantumServices

/// Everything an operator looks at, read from the bus and the state store at one moment.
///
/// One reading feeds the three views of the system: `quantum doctor` (a scorecard), `/metrics` (Prometheus)
/// and the dashboard, so they can never disagree with each other or with the run summary.
public struct SystemSnapshot: Sendable {
    /// The system's own latest time: the newest heartbeat or service event (its clock may be a scaled market clock).
    public var asOf: EpochMillis
    /// The newest heartbeat's wall-clock time, when known: how long ago the system last showed life.
    public var lastWallBeat: EpochMillis?
    public var services: [ServiceState] = []
    public var plansByAction: [String: Int] = [:]
    /// Results by action, then decision.
    public var resultsByActionAndDecision: [String: [String: Int]] = [:]
    /// Results not executed, by their reason word.
    public var failuresByReason: [String: Int] = [:]
    public var recentPlans: [[String: String]] = []
    public var recentResults: [[String: String]] = []
    public var ordersSent: Int64 = 0
    public var fills: Int64 = 0
    public var duplicatesPrevented: Int64 = 0
    /// Reconciliation drift found (positions that vanished, appeared or differ), since the start of the state.
    public var driftEvents = 0
    public var positions: [PositionView] = []
    /// Symbol → since: positions without a live protective stop right now.
    public var unprotected: [String: EpochMillis] = [:]
    public var consumers: [ConsumerState] = []
    /// Dead-letter stream → entries.
    public var deadLetters: [String: Int] = [:]
    public var killSwitch: KillSwitch.State
    /// Exit-path services that are not healthy (opens are halted while any is).
    public var exitPathHalted: [String] = []
    /// Timed pauses of every open (loss streak, margin refusals) with when each lifts; ended ones included.
    public var openPauses = OpenPauses()
    /// Symbols the churn breaker pauses, with when each pause lifts.
    public var churnPauses: [String: EpochMillis] = [:]
    public var equity = Notional.zero
    /// The deepest fall of equity from its peak, as a fraction (0.05 = 5 %).
    public var maxDrawdown = 0.0
    /// Intents the bridge refused (each on `intent.rejected` with its reason).
    public var intentsRefused = 0
    public var realizedPnL = Notional.zero
    public var fees = Notional.zero
    public var harvest = HarvestFigures()

    /// One service's health as judged from its heartbeats and supervisor events.
    public struct ServiceState: Hashable, Sendable {
        public var service: ServiceName
        public var verdict: HealthMonitor.Verdict
        /// Seconds since its last heartbeat, on the system's clock.
        public var heartbeatAge: Double?
        public var restarts: Int
        public var processed: Int64
        public var lag: Int64?
    }

    /// A position with its live figures.
    public struct PositionView: Sendable {
        public var record: PositionRecord
        public var markPrice: Price?
        public var unrealizedPnL: Notional?
        public var r: Double?
        /// Whether the protection monitor currently finds its stop live.
        public var stopLive: Bool
    }

    /// A consumer group's backlog on one stream.
    public struct ConsumerState: Hashable, Sendable {
        public var stream: String
        public var group: String
        public var lag: Int
        public var pending: Int
    }

    /// Every result answered, by decision.
    public var resultsByDecision: [String: Int] {
        resultsByActionAndDecision.values.reduce(into: [:]) { total, decisions in
            for (decision, count) in decisions { total[decision, default: 0] += count }
        }
    }

    /// Plans that were exits (reduces, closes), and those of them that executed.
    public var exitPlans: (planned: Int, executed: Int) {
        let exits = plansByAction.filter { PlanAction(rawValue: $0.key)?.isReduceOnly == true && $0.key != PlanAction.moveStop.rawValue }
        let executed = resultsByActionAndDecision.filter { exits.keys.contains($0.key) }.values.reduce(0) { $0 + ($1[ResultDecision.executed.rawValue] ?? 0) }
        return (exits.values.reduce(0, +), executed)
    }

    public var deadLetterTotal: Int { deadLetters.values.reduce(0, +) }
}
