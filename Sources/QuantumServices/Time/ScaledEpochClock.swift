import QuantumCore

/// Market time running `factor` times faster than real time from `origin`: the clock of an embedded run at `--speed X`.
///
/// The simulator, the adapter and every service share it, so the exchange's server time, bar
/// times, cadences and freshness bounds all stay consistent at any speed.
public struct ScaledEpochClock: EpochClock {
    public let factor: Double
    public let origin: EpochMillis
    private let start: ContinuousClock.Instant

    public init(factor: Double, origin: EpochMillis = SystemEpochClock().now()) {
        precondition(factor.isFinite && factor > 0, "a clock runs forward")
        self.factor = factor
        self.origin = origin
        self.start = ContinuousClock.now
    }

    public func now() -> EpochMillis {
        let elapsed = ContinuousClock.now - start
        let millis = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        return EpochMillis(origin.rawValue + Int64((millis * factor).rounded(.down)))
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration / factor)
    }
}

/// A clock `offset` away from another: the venue's server time as the system's clock.
public struct OffsetEpochClock: EpochClock {
    public let base: any EpochClock
    public let offset: Duration

    public init(base: any EpochClock = SystemEpochClock(), offset: Duration) {
        self.base = base
        self.offset = offset
    }

    public func now() -> EpochMillis { base.now().advanced(by: offset) }
    public func sleep(for duration: Duration) async throws { try await base.sleep(for: duration) }
}
