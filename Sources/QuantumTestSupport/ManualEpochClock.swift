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
        var sleeperWaiters: [CheckedContinuation<EpochMillis, Never>] = []
        /// Sleeps registered so far, and who waits for the next one.
        var registrations: UInt64 = 0
        var registrationWaiters: [CheckedContinuation<Void, Never>] = []
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
    public func nextSleeper() async -> EpochMillis {
        await withCheckedContinuation { (continuation: CheckedContinuation<EpochMillis, Never>) in
            let earliest: EpochMillis? = state.withLock { state in
                if let first = state.sleepers.map(\.deadline).min() { return first }
                state.sleeperWaiters.append(continuation)
                return nil
            }
            if let earliest { continuation.resume(returning: earliest) }
        }
    }

    /// Waits until some task sleeps with a deadline no later than `limit` (ignoring longer sleeps
    /// such as a 30-minute keep-alive) and returns that deadline.
    public func sleeper(dueBy limit: EpochMillis) async -> EpochMillis {
        while true {
            let (found, generation) = state.withLock { state in
                (state.sleepers.map(\.deadline).filter { $0 <= limit }.min(), state.registrations)
            }
            if let found { return found }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let registeredSince = state.withLock { state -> Bool in
                    if state.registrations != generation { return true }
                    state.registrationWaiters.append(continuation)
                    return false
                }
                if registeredSince { continuation.resume() }
            }
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
                let (immediate, waiters): (Bool, [CheckedContinuation<EpochMillis, Never>]) = state.withLock { state in
                    let deadline = state.now.advanced(by: duration)
                    if deadline <= state.now { return (true, []) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    let waiters = state.sleeperWaiters
                    state.sleeperWaiters = []
                    state.registrations += 1
                    let registered = state.registrationWaiters
                    state.registrationWaiters = []
                    for waiter in registered { waiter.resume() }
                    return (false, waiters)
                }
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
