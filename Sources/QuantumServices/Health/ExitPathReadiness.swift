import QuantumBus
import QuantumCore
import Synchronization

/// Holds the start of what opens positions until the health monitor has judged the exit path healthy on heartbeats
/// beaten in this run.
///
/// Opens are refused while the exit path is unhealthy (invariant 11), and at a start its services' first beats race the
/// monitor's first check. Without this hold, a signal on the bar a run starts from met that race: refused in one run,
/// opened in another, depending on the machine. Held, signal-bot's first bar waits for the verdict (a few
/// milliseconds), and what the first signal meets no longer depends on timing. One-shot: a signal-bot restarted after a
/// crash is not held again (the monitor's halt covers what happens then).
public final class ExitPathReadiness: Sendable {
    public let store: any StateStore
    /// The exit-path services the monitor watches: each must be judged up on a beat of this run.
    public let services: [ServiceName]
    /// The run's start (market time): beats from before it (a previous run's) do not count.
    public let start: EpochMillis
    /// How often (real time) the verdict is read again while waiting.
    public let poll: Duration
    private let opened = Mutex(false)

    public init(store: any StateStore, services: [ServiceName], since start: EpochMillis, poll: Duration = .milliseconds(5)) {
        self.store = store
        self.services = services
        self.start = start
        self.poll = poll
    }

    /// Returns once the exit path is judged healthy on beats at or after `start`, at once after the first time it
    /// returned; throws `CancellationError` when cancelled.
    public func awaitHealthy() async throws {
        while !opened.withLock({ $0 }) {
            if await isHealthy(since: start) {
                opened.withLock { $0 = true }
                return
            }
            try await Task.sleep(for: poll)
        }
    }

    /// Whether the monitor's last verdicts hold no exit-path halt and every watched exit-path service up, on a beat at or
    /// after `start`.
    func isHealthy(since start: EpochMillis) async -> Bool {
        guard let halt = try? await store.fields(StateKey.exitPathHalt), halt.isEmpty,
              let health = try? await store.fields(StateKey.health) else { return false }
        return services.allSatisfy { service in
            // "verdict;last beat (ms);restarts", as the monitor writes it.
            let parts = (health[service.rawValue] ?? "").split(separator: ";")
            guard parts.count >= 2, parts[0] == Substring(HealthMonitor.Verdict.up.rawValue), let beat = Int64(parts[1]) else { return false }
            return beat >= start.rawValue
        }
    }
}
