import QuantumCore

/// What one seed of a soak found.
public struct SoakOutcome: Sendable {
    public var seed: UInt64
    /// Every violation seen, in the order seen.
    var found: [SoakChecker.Violation] = []
    public var faultsInjected: [SoakFault: Int] = [:]
    /// Our orders that filled.
    public var trades = 0
    /// The digest of the whole run (results, events, the exchange's orders): the same seed gives the same hash.
    public var traceHash = ""
    /// The run's trace, one line per result, event, fault and exchange order, in time order.
    public var trace: [String] = []
    public var traceFile: String?
    public var wallSeconds = 0.0
    /// Simulated time the seed ran.
    public var simulatedSeconds = 0.0
    public var steps: UInt64 = 0
    /// Jobs that reached the scheduler from outside the simulation (0 in a deterministic run).
    public var escapedJobs = 0
    /// Why the seed could not run at all.
    public var failure: String?

    init(seed: UInt64, violations: [SoakChecker.Violation] = [], faultsInjected: [SoakFault: Int] = [:], trades: Int = 0,
         traceHash: String = "", trace: [String] = [], failure: String? = nil) {
        self.seed = seed
        found = violations
        self.faultsInjected = faultsInjected
        self.trades = trades
        self.traceHash = traceHash
        self.trace = trace
        self.failure = failure
    }

    /// An outcome of nothing (tests that skip a run).
    public static var placeholder: SoakOutcome { SoakOutcome(seed: 0) }

    /// Violations per invariant, every invariant listed (0 included).
    public var violations: [SoakInvariant: Int] {
        var counts = Dictionary(uniqueKeysWithValues: SoakInvariant.allCases.map { ($0, 0) })
        for violation in found { counts[violation.invariant, default: 0] += 1 }
        return counts
    }

    public var violated: Bool { !found.isEmpty || failure != nil }

    /// The first violation: its invariant, virtual time, scheduler step and what was seen.
    public var firstViolation: (invariant: SoakInvariant, time: EpochMillis, step: UInt64, detail: String)? {
        found.min { ($0.time, $0.step) < ($1.time, $1.step) }.map { ($0.invariant, $0.time, $0.step, $0.detail) }
    }

    /// The trace lines around the first violation (the 20 before it and 5 after).
    public var excerpt: [String] {
        guard let first = firstViolation else { return [] }
        let stamp = String(first.time.rawValue)
        let index = trace.lastIndex { ($0.split(separator: " ").first.map(String.init) ?? "") <= stamp } ?? 0
        return Array(trace[max(0, index - 20)...min(trace.count - 1, index + 5)])
    }
}
