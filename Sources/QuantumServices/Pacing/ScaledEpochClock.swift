import QuantumCore
import Synchronization

/// Market time running `factor` times faster than real time from `origin`: the clock of an embedded run at `--speed X`.
///
/// The simulator, the adapter and every service share it, so the exchange's server time, bar
/// times, cadences and freshness bounds all stay consistent at any speed. A paced replay also gives
/// it a ceiling (`allow(until:)`): market time never passes the next tick the market is allowed to
/// reach, so while the system works through a bar the clock waits for it instead of running ahead —
/// at any speed, on a loaded machine as on an idle one.
///
/// An infinite factor makes a *stepped* clock (`--speed max`): market time stands at its ceiling and moves only when
/// the feed allows the next tick, so the replay runs exactly as fast as the system handles it. Once unpinned (the
/// recorded market has ended) it runs on at `ScaledEpochClock.steppedAfterFeed`.
public final class ScaledEpochClock: EpochClock {
    public let factor: Double
    public let origin: EpochMillis
    /// The rate a stepped clock runs at once unpinned: past the end of a replayed market, time still passes.
    public static let steppedAfterFeed = 600.0

    /// Market time (ms, fractional) at a real instant, the ceiling, the rate, and the sleepers waiting for the ceiling to move.
    private struct State {
        var real: ContinuousClock.Instant
        var market: Double
        var ceiling: Double?
        /// Market ms per real ms; infinite while a stepped clock is pinned.
        var rate: Double
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0

        func marketAt(_ instant: ContinuousClock.Instant) -> Double {
            // Stepped: time is where the feed last allowed it to be.
            guard rate.isFinite else { return ceiling ?? market }
            let free = market + (instant - real).milliseconds * rate
            return ceiling.map { min(free, $0) } ?? free
        }
    }

    private let state: Mutex<State>
    /// A sleeper wakes at least this often (real time) while the clock runs freely.
    private static let slice: Duration = .milliseconds(10)

    /// A clock at `origin` running `factor`× real time (`.infinity`: stepped, which must start pinned); `pinned`: it
    /// starts held at `origin` until `allow(until:)`.
    public init(factor: Double, origin: EpochMillis = SystemEpochClock().now(), pinned: Bool = false) {
        precondition(factor > 0 && (factor.isFinite || (factor == .infinity && pinned)), "a clock runs forward; a stepped one starts pinned")
        self.factor = factor
        self.origin = origin
        state = Mutex(State(real: .now, market: Double(origin.rawValue), ceiling: pinned ? Double(origin.rawValue) : nil, rate: factor))
    }

    /// Whether market time moves only when the feed allows it (`--speed max`).
    public var isStepped: Bool { !factor.isFinite }

    public func now() -> EpochMillis {
        EpochMillis(Int64(marketMillis().rounded(.down)))
    }

    /// Lets market time run on up to `limit` (never back): what a paced feed calls before its next tick.
    public func allow(until limit: EpochMillis) {
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { state in
            let instant = ContinuousClock.now
            let current = state.marketAt(instant)
            let raised = max(Double(limit.rawValue), state.ceiling ?? current)
            // Re-anchored where the clock stands, so a clock that waited at its ceiling does not jump.
            state.market = current
            state.real = instant
            state.ceiling = raised
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Takes the ceiling away: the clock runs freely at `factor` from where it stands.
    public func unpin() {
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { state in
            let instant = ContinuousClock.now
            state.market = state.marketAt(instant)
            state.real = instant
            state.ceiling = nil
            if !state.rate.isFinite { state.rate = Self.steppedAfterFeed }
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Whether market time is waiting at its ceiling.
    public var isWaitingAtCeiling: Bool {
        state.withLock { state in state.ceiling.map { state.marketAt(.now) >= $0 } ?? false }
    }

    public func sleep(for duration: Duration) async throws {
        try await sleep(untilMillis: marketMillis() + duration.milliseconds)
    }

    /// Sleeps until the clock shows `deadline`: what a paced feed uses to wait for exactly the ceiling it set (a
    /// duration computed from `now()` could overshoot it by the fraction `now()` does not show, and wait for ever).
    public func sleep(until deadline: EpochMillis) async throws {
        try await sleep(untilMillis: Double(deadline.rawValue))
    }

    private func sleep(untilMillis target: Double) async throws {
        while true {
            try Task.checkCancellation()
            let (market, ceiling, rate) = state.withLock { ($0.marketAt(.now), $0.ceiling, $0.rate) }
            let remaining = target - market
            if remaining <= 0 { return }
            if let ceiling, market >= ceiling {
                // Held at the ceiling: nothing to do until the feed lets time move.
                await waitForCeilingToMove()
                continue
            }
            let reachable = ceiling.map { min(remaining, $0 - market) } ?? remaining
            let real = Duration.nanoseconds(Int64((reachable / rate * 1_000_000).rounded(.up)))
            try await Task.sleep(for: min(max(real, .nanoseconds(1)), Self.slice))
        }
    }

    /// Returns when the ceiling moves (or is taken away), or the task is cancelled.
    private func waitForCeilingToMove() async {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let waiting = state.withLock { state -> Bool in
                    guard !Task.isCancelled, let ceiling = state.ceiling, state.marketAt(.now) >= ceiling else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
            continuation?.resume()
        }
    }

    private func marketMillis() -> Double {
        state.withLock { $0.marketAt(.now) }
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
