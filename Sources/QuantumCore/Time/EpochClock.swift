#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wall clock every component reads time from; injected so tests and backtests control time.
///
/// Kernels never read a clock: services read it and pass times in.
public protocol EpochClock: Sendable {
    /// The current time.
    func now() -> EpochMillis
    /// Suspends until `duration` of this clock's time has passed (or the task is cancelled).
    func sleep(for duration: Duration) async throws
    /// Suspends until the clock shows `deadline` (or the task is cancelled).
    func sleep(until deadline: EpochMillis) async throws
}

extension EpochClock {
    public func sleep(until deadline: EpochMillis) async throws {
        let wait = deadline.duration(since: now())
        if wait > .zero { try await sleep(for: wait) }
    }
}

/// The operating system's real-time clock.
public struct SystemEpochClock: EpochClock {
    public init() {}

    public func now() -> EpochMillis {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return EpochMillis(Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000)
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
