import QuantumCore
import Synchronization

/// A service's progress counters, shared between its work and its heartbeat.
public final class ServiceProgress: Sendable {
    private struct State {
        var processed: Int64 = 0
        var lag: Int64?
        var lastProgress: EpochMillis
        var status: ServiceStatus = .starting
    }

    private let state: Mutex<State>

    public init(now: EpochMillis) {
        state = Mutex(State(lastProgress: now))
    }

    /// Counts `count` processed items at `now`.
    public func processed(_ count: Int = 1, at now: EpochMillis) {
        state.withLock {
            $0.processed += Int64(count)
            $0.lastProgress = now
        }
    }

    /// An idle cycle completed: the service is alive even with nothing to do.
    public func idle(at now: EpochMillis) {
        state.withLock { $0.lastProgress = now }
    }

    public func setLag(_ lag: Int?) {
        state.withLock { $0.lag = lag.map(Int64.init) }
    }

    public func setStatus(_ status: ServiceStatus) {
        state.withLock { $0.status = status }
    }

    public var processedCount: Int64 { state.withLock { $0.processed } }

    /// The heartbeat this progress stands for.
    public func heartbeat(service: ServiceName, instance: String, interval: Duration, now: EpochMillis) -> Heartbeat {
        state.withLock {
            Heartbeat(service: service, instance: instance, status: $0.status, processed: $0.processed, lag: $0.lag,
                      lastProgress: $0.lastProgress, interval: interval, createdAt: now, wallClock: SystemEpochClock().now())
        }
    }
}
