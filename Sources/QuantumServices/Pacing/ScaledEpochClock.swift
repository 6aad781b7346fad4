import QuantumCore
import Synchronization

/// Market time running `factor` times faster than real time from `origin`: the clock of an embedded run at `--speed X`.
///
/// The simulator, the adapter and every service share it, so the exchange's server time, bar
/// times, cadences and freshness bounds all stay consistent at any speed. While the system has not
/// caught up with the market (`MarketPacer`), the clock runs at `slowFactor` instead: market time
/// waits for the system rather than the system falling behind it, so a replay trades the same on a
/// loaded machine as on an idle one.
public final class ScaledEpochClock: EpochClock {
    public let factor: Double
    /// The rate while the clock is held back (`hold()`).
    public let slowFactor: Double
    public let origin: EpochMillis

    /// Market time (ms, fractional) at a real instant, and the rate from there on.
    private struct Anchor {
        var real: ContinuousClock.Instant
        var market: Double
        var rate: Double
        var holds = 0

        func marketAt(_ instant: ContinuousClock.Instant) -> Double {
            market + (instant - real).milliseconds * rate
        }

        mutating func rerate(_ next: Double) {
            let instant = ContinuousClock.now
            market = marketAt(instant)
            real = instant
            rate = next
        }
    }

    private let anchor: Mutex<Anchor>
    /// A sleeper wakes at least this often (real time) to see a change of rate.
    private static let slice: Duration = .milliseconds(10)

    public init(factor: Double, origin: EpochMillis = SystemEpochClock().now(), slowFactor: Double? = nil) {
        precondition(factor.isFinite && factor > 0, "a clock runs forward")
        self.factor = factor
        self.slowFactor = min(factor, max(slowFactor ?? 10, .leastNonzeroMagnitude))
        self.origin = origin
        anchor = Mutex(Anchor(real: .now, market: Double(origin.rawValue), rate: factor))
    }

    public func now() -> EpochMillis {
        EpochMillis(Int64(marketMillis().rounded(.down)))
    }

    public func sleep(for duration: Duration) async throws {
        let target = marketMillis() + duration.milliseconds
        while true {
            try Task.checkCancellation()
            let (market, rate) = anchor.withLock { ($0.marketAt(ContinuousClock.now), $0.rate) }
            let remaining = target - market
            if remaining <= 0 { return }
            let real = Duration.nanoseconds(Int64((remaining / rate * 1_000_000).rounded(.up)))
            try await Task.sleep(for: min(real, Self.slice))
        }
    }

    /// Slows the clock to `slowFactor` until every `hold()` has its `release()`.
    public func hold() {
        anchor.withLock { anchor in
            anchor.holds += 1
            if anchor.holds == 1 { anchor.rerate(slowFactor) }
        }
    }

    /// Ends one `hold()`; the last one puts the clock back to `factor`.
    public func release() {
        anchor.withLock { anchor in
            guard anchor.holds > 0 else { return }
            anchor.holds -= 1
            if anchor.holds == 0 { anchor.rerate(factor) }
        }
    }

    /// Whether the clock is held back (running at `slowFactor`).
    public var isHeld: Bool { anchor.withLock { $0.holds > 0 } }

    private func marketMillis() -> Double {
        anchor.withLock { $0.marketAt(ContinuousClock.now) }
    }
}

extension Duration {
    /// This duration in milliseconds, fractional.
    var milliseconds: Double {
        Double(components.seconds) * 1_000 + Double(components.attoseconds) / 1e15
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
