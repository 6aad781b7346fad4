import QuantumCore

/// Judges every service from its heartbeats and its supervisor's restarts (invariant 11): pure, so the
/// health-monitor service and `quantum doctor` reach the same verdicts from the same records.
public struct HealthMonitor: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// A service is stale after this many of its own heartbeat intervals without one.
        public var staleAfterIntervals = 3
        /// This many restarts within `crashLoopWindow` is a crash loop: the service is dead.
        public var crashLoopRestarts = 5
        public var crashLoopWindow: Duration = .seconds(300)

        public init() {}
    }

    /// What a service is.
    public enum Verdict: String, Hashable, Sendable, CaseIterable {
        case up
        case stale
        case dead
        /// Never heard of.
        case missing
        /// Shut down cleanly (its supervisor said so after its last beat): not running, and not a fault.
        case stopped
    }

    /// One service's record and verdict.
    public struct ServiceHealth: Hashable, Sendable {
        public var service: ServiceName
        public var verdict: Verdict
        public var lastBeat: Heartbeat?
        public var restartsInWindow: Int
        public var restartsTotal: Int
    }

    /// The services whose health is the exit path's: while one of them is not up, opens are halted.
    public static let exitPath: [ServiceName] = [.applyLayer, .exitBrain, .harvest, .protectionMonitor]

    public var configuration: Configuration
    private var beats: [ServiceName: Heartbeat] = [:]
    private var restarts: [ServiceName: [EpochMillis]] = [:]
    private var restartTotals: [ServiceName: Int] = [:]
    private var stops: [ServiceName: EpochMillis] = [:]

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// A heartbeat arrived (an older one than the latest known is ignored).
    public mutating func record(_ beat: Heartbeat) {
        if let known = beats[beat.service], known.createdAt > beat.createdAt { return }
        beats[beat.service] = beat
    }

    /// The supervisor restarted `service` at `time`.
    public mutating func recordRestart(_ service: ServiceName, at time: EpochMillis) {
        restarts[service, default: []].append(time)
        restartTotals[service, default: 0] += 1
        if restarts[service]!.count > 64 { restarts[service]!.removeFirst(restarts[service]!.count - 64) }
    }

    /// `service` shut down cleanly at `time`; a later beat means it runs again.
    public mutating func recordStop(_ service: ServiceName, at time: EpochMillis) {
        stops[service] = max(time, stops[service] ?? time)
    }

    /// The verdict on `service` at `now`.
    public func assess(_ service: ServiceName, at now: EpochMillis) -> ServiceHealth {
        let recent = (restarts[service] ?? []).filter { now.duration(since: $0) <= configuration.crashLoopWindow }.count
        let beat = beats[service]
        let verdict: Verdict
        if recent >= configuration.crashLoopRestarts {
            verdict = .dead
        } else if let beat, let stop = stops[service], stop >= beat.createdAt {
            verdict = .stopped
        } else if let beat {
            let limit = beat.interval * configuration.staleAfterIntervals
            verdict = now.duration(since: beat.createdAt) > limit || beat.status == .stopping ? .stale : .up
        } else {
            verdict = .missing
        }
        return ServiceHealth(service: service, verdict: verdict, lastBeat: beat, restartsInWindow: recent, restartsTotal: restartTotals[service] ?? 0)
    }

    /// Every service heard of, plus `expected`, assessed at `now`, in name order.
    public func assessAll(expected: [ServiceName], at now: EpochMillis) -> [ServiceHealth] {
        Set(expected).union(beats.keys).union(restarts.keys).union(stops.keys).sorted { $0.rawValue < $1.rawValue }.map { assess($0, at: now) }
    }
}
