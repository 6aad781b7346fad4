import HeapModule
import QuantumCore
import Synchronization

/// One seeded scheduler and one virtual clock for a whole simulated system: every task job and every
/// timer of the code under test goes through here, so a seed gives the same run, step for step.
///
/// As a `TaskExecutor` it collects the jobs of every task that prefers it (structured children inherit
/// the preference; default actors run on it too) and runs them one at a time, on the thread that
/// calls `run`, picking the next one with the seed: the interleaving is the seed's. As an `EpochClock`
/// its time moves only when nothing is runnable: then it jumps to the earliest sleeper's deadline and
/// wakes those due, in the order they went to sleep. No wall-clock read, no real sleep.
public final class SimulationScheduler: TaskExecutor, EpochClock, @unchecked Sendable {
    /// When a sleeper is due, and its place among those due at the same instant (the order they went to sleep).
    private struct Alarm: Comparable {
        var deadline: EpochMillis
        var order: UInt64

        static func < (lhs: Alarm, rhs: Alarm) -> Bool { (lhs.deadline, lhs.order) < (rhs.deadline, rhs.order) }
    }

    private struct State {
        var now: EpochMillis
        var jobs: [UnownedJob] = []
        /// Every sleeper's continuation by its order; a cancelled sleeper leaves here at once and from `alarms` when due.
        var sleepers: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var alarms = Heap<Alarm>()
        var nextOrder: UInt64 = 0
        var rng: SplitMix64
        var steps: UInt64 = 0
        var loopThread: pthread_t?
        var escaped = 0
    }

    private let state: Mutex<State>

    /// A scheduler at `start` whose choices come from `seed`.
    public init(seed: UInt64, start: EpochMillis) {
        state = Mutex(State(now: start, rng: SplitMix64(seed: seed, stream: "scheduler")))
    }

    // MARK: - TaskExecutor

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let current = pthread_self()
        state.withLock { state in
            state.jobs.append(job)
            // A job handed over by another thread once the loop runs came from a task that escaped the simulation.
            if let loop = state.loopThread, pthread_equal(loop, current) == 0 { state.escaped += 1 }
        }
    }

    // MARK: - EpochClock

    public func now() -> EpochMillis { state.withLock { $0.now } }

    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now().advanced(by: max(duration, .zero)))
    }

    public func sleep(until deadline: EpochMillis) async throws {
        try Task.checkCancellation()
        // Already due: no time passes, but the task still gives way, as it would to a timer that fires at once.
        if deadline <= now() {
            await Task.yield()
            return try Task.checkCancellation()
        }
        let order = state.withLock { state -> UInt64 in
            state.nextOrder += 1
            return state.nextOrder
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.sleepers[order] = continuation
                    state.alarms.insert(Alarm(deadline: deadline, order: order))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.sleepers.removeValue(forKey: order) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    // MARK: - Running

    /// Jobs run so far.
    public var steps: UInt64 { state.withLock { $0.steps } }

    /// Jobs enqueued from outside the loop's thread while it ran: each is a task that escaped the simulation (an
    /// unstructured task without `TaskPlacement`), and makes the run's interleaving depend on real time.
    public var escapedJobs: Int { state.withLock { $0.escaped } }

    /// Runs jobs on the calling thread until `finished()` says so, or time would pass `end` with nothing to run.
    ///
    /// With no job and no sleeper, nothing inside the simulation can move: the loop waits (a little, in real time)
    /// for a job from outside — only the simulation's first job comes from outside.
    public func run(until end: EpochMillis, finished: () -> Bool) {
        state.withLock { $0.loopThread = pthread_self() }
        defer { state.withLock { $0.loopThread = nil } }
        while !finished() {
            if let job = nextJob() {
                job.runSynchronously(on: asUnownedTaskExecutor())
                continue
            }
            switch wakeSleepers(notAfter: end) {
            case .woke:
                continue
            case .pastEnd:
                return
            case .nothing:
                idleWait()
            }
        }
    }

    private func nextJob() -> UnownedJob? {
        state.withLock { state in
            guard !state.jobs.isEmpty else { return nil }
            state.steps += 1
            let index = Int(state.rng.next() % UInt64(state.jobs.count))
            state.jobs.swapAt(index, state.jobs.count - 1)
            return state.jobs.removeLast()
        }
    }

    private enum Wake { case woke, pastEnd, nothing }

    /// Moves time to the earliest deadline (if not past `end`) and wakes every sleeper due by then, oldest first.
    private func wakeSleepers(notAfter end: EpochMillis) -> Wake {
        let (outcome, due): (Wake, [CheckedContinuation<Void, any Error>]) = state.withLock { state in
            // Alarms of cancelled sleepers are dropped as they come up.
            while let top = state.alarms.min, state.sleepers[top.order] == nil { state.alarms.removeMin() }
            guard let earliest = state.alarms.min else { return (.nothing, []) }
            guard earliest.deadline <= end else { return (.pastEnd, []) }
            state.now = max(state.now, earliest.deadline)
            // Popped in (deadline, order) order, and every one is due at `now`: the order they went to sleep.
            var ready: [CheckedContinuation<Void, any Error>] = []
            while let top = state.alarms.min, top.deadline <= state.now {
                state.alarms.removeMin()
                if let continuation = state.sleepers.removeValue(forKey: top.order) { ready.append(continuation) }
            }
            return (.woke, ready)
        }
        for continuation in due { continuation.resume() }
        return outcome
    }

    private func idleWait() {
        var request = timespec(tv_sec: 0, tv_nsec: 50_000)
        _ = nanosleep(&request, nil)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
