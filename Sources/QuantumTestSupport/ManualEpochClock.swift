import QuantumCore
import Synchronization

/// A clock that moves only when a test advances it.
///
/// Sleepers register before they suspend, so a test can `await nextSleeper()` and then advance time
/// deterministically (the postgres-nio `MockClock` pattern): no wall-clock sleeping to synchronise.
public final class ManualEpochClock: EpochClock, Sendable {
    private struct Sleeper {
        var id: UInt64
        var deadline: EpochMillis
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: EpochMillis
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
        /// Who waits for a sleeper, by waiter id; a cancelled waiter is resumed with nil.
        var sleeperWaiters: [UInt64: CheckedContinuation<EpochMillis?, Never>] = [:]
        /// Sleeps registered so far, and who waits for the next one.
        var registrations: UInt64 = 0
        var registrationWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterID: UInt64 = 0
    }

    private let state: Mutex<State>
    /// Whether a sleep moves time itself (virtual time) instead of waiting for `advance`.
    public let advancesOnSleep: Bool

    /// A clock at `start`. With `advancesOnSleep`, `sleep(for:)` advances the clock by the duration and
    /// returns at once — virtual time for code whose only sleeps are its own backoffs.
    public init(_ start: EpochMillis = EpochMillis(1_700_000_000_000), advancesOnSleep: Bool = false) {
        state = Mutex(State(now: start))
        self.advancesOnSleep = advancesOnSleep
    }

    public func now() -> EpochMillis { state.withLock { $0.now } }

    /// Moves time forward and wakes every sleeper whose deadline has passed.
    public func advance(by duration: Duration) {
        let due: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.now = state.now.advanced(by: duration)
            let now = state.now
            let ready = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return ready.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// Sets the time (forward only) and wakes due sleepers.
    public func advance(to instant: EpochMillis) {
        let delta = instant.duration(since: now())
        if delta > .zero { advance(by: delta) }
    }

    /// Number of tasks currently sleeping on this clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Waits until some task is sleeping on this clock and returns the earliest deadline.
    ///
    /// A cancelled wait (the test's time limit) returns the clock's time, so a test whose code never sleeps again
    /// ends instead of hanging.
    public func nextSleeper() async -> EpochMillis {
        let id = newWaiterID()
        let found: EpochMillis? = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<EpochMillis?, Never>) in
                let earliest: EpochMillis?? = state.withLock { state in
                    if let first = state.sleepers.map(\.deadline).min() { return .some(first) }
                    if Task.isCancelled { return .some(nil) }
                    state.sleeperWaiters[id] = continuation
                    return .none
                }
                if let earliest { continuation.resume(returning: earliest) }
            }
        } onCancel: {
            state.withLock { $0.sleeperWaiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
        return found ?? now()
    }

    /// Waits until some task sleeps with a deadline no later than `limit` (ignoring longer sleeps
    /// such as a 30-minute keep-alive) and returns that deadline; the clock's time if the wait is cancelled.
    public func sleeper(dueBy limit: EpochMillis) async -> EpochMillis {
        while !Task.isCancelled {
            let (found, generation) = state.withLock { state in
                (state.sleepers.map(\.deadline).filter { $0 <= limit }.min(), state.registrations)
            }
            if let found { return found }
            let id = newWaiterID()
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let resumeNow = state.withLock { state -> Bool in
                        if state.registrations != generation || Task.isCancelled { return true }
                        state.registrationWaiters[id] = continuation
                        return false
                    }
                    if resumeNow { continuation.resume() }
                }
            } onCancel: {
                state.withLock { $0.registrationWaiters.removeValue(forKey: id) }?.resume()
            }
        }
        return now()
    }

    private func newWaiterID() -> UInt64 {
        state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
    }

    public func sleep(for duration: Duration) async throws {
        if advancesOnSleep {
            try Task.checkCancellation()
            advance(by: max(duration, .zero))
            await Task.yield()
            return
        }
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (immediate, waiters, registered): (Bool, [CheckedContinuation<EpochMillis?, Never>], [CheckedContinuation<Void, Never>]) =
                    state.withLock { state in
                        let deadline = state.now.advanced(by: duration)
                        if deadline <= state.now { return (true, [], []) }
                        state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                        let waiters = Array(state.sleeperWaiters.values)
                        state.sleeperWaiters = [:]
                        state.registrations += 1
                        let registered = Array(state.registrationWaiters.values)
                        state.registrationWaiters = [:]
                        return (false, waiters, registered)
                    }
                for waiter in registered { waiter.resume() }
                if immediate {
                    continuation.resume()
                    return
                }
                if Task.isCancelled {
                    // The cancellation handler may have run before this sleeper was registered.
                    let mine = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                        guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                        return state.sleepers.remove(at: index).continuation
                    }
                    mine?.resume(throwing: CancellationError())
                    return
                }
                let earliest = state.withLock { $0.sleepers.map(\.deadline).min() } ?? now()
                for waiter in waiters { waiter.resume(returning: earliest) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> CheckedContinuation<Void, any Error>? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index).continuation
            }
            cancelled?.resume(throwing: CancellationError())
        }
    }
}
