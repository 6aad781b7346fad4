import QuantumCore
import Synchronization

/// Holds the start of what opens positions until the health monitor beside it has judged the exit path healthy on
/// heartbeats beaten in this run.
///
/// Opens are refused while the exit path is unhealthy (invariant 11), and at a start its services' first beats race the
/// monitor's first check. Without this hold, a signal on the bar a run starts from met that race: refused in one run,
/// opened in another, depending on the machine. Held, signal-bot's first bar waits for the verdict (a few
/// milliseconds), and what the first signal meets no longer depends on timing.
///
/// A latch the monitor opens (no polling, so nothing here runs on a clock of its own, real or simulated). One-shot: a
/// signal-bot restarted after a crash is not held again (the monitor's halt covers what happens then).
public final class ExitPathReadiness: Sendable {
    /// The exit-path services the monitor watches here: each must be judged up on a beat of this run.
    public let services: Set<ServiceName>
    /// The run's start (market time): beats from before it (a previous run's, which the monitor reads back) do not count.
    public let start: EpochMillis

    private struct State {
        var open = false
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    public init(services: some Sequence<ServiceName>, since start: EpochMillis) {
        self.services = Set(services)
        self.start = start
    }

    /// Whether the latch has opened.
    public var isOpen: Bool { state.withLock(\.open) }

    /// The monitor's verdicts of one check: opens the latch when every watched exit-path service is up on a beat at or
    /// after `start`.
    public func judged(_ verdicts: [HealthMonitor.ServiceHealth]) {
        guard !isOpen else { return }
        let start = self.start
        let up: Set<ServiceName> = Set(verdicts.compactMap { (health: HealthMonitor.ServiceHealth) -> ServiceName? in
            guard health.verdict == .up, let beat = health.lastBeat, beat.createdAt >= start else { return nil }
            return health.service
        })
        guard services.isSubset(of: up) else { return }
        let woken = state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            state.open = true
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once the latch is open (at once after it opened); throws `CancellationError` when cancelled.
    public func awaitHealthy() async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let waiting = state.withLock { state -> Bool in
                    guard !state.open, !Task.isCancelled else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !waiting {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(throwing: CancellationError())
        }
    }
}
