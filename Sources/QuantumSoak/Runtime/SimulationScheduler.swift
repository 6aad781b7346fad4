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
    private struct Sleeper {
        var deadline: EpochMillis
        var order: UInt64
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: EpochMillis
        var jobs: [UnownedJob] = []
        var sleepers: [UInt64: Sleeper] = [:]
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
        let order = state.withLock { state -> UInt64 in
            state.nextOrder += 1
            return state.nextOrder
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.sleepers[order] = Sleeper(deadline: deadline, order: order, continuation: continuation)
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let continuation = state.withLock { $0.sleepers.removeValue(forKey: order)?.continuation }
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
            return state.jobs.remove(at: index)
        }
    }

    private enum Wake { case woke, pastEnd, nothing }

    /// Moves time to the earliest deadline (if not past `end`) and wakes every sleeper due by then, oldest first.
    private func wakeSleepers(notAfter end: EpochMillis) -> Wake {
        let (outcome, due): (Wake, [CheckedContinuation<Void, any Error>]) = state.withLock { state in
            guard let earliest = state.sleepers.values.min(by: { ($0.deadline, $0.order) < ($1.deadline, $1.order) }) else {
                return (.nothing, [])
            }
            guard earliest.deadline <= end else { return (.pastEnd, []) }
            state.now = max(state.now, earliest.deadline)
            let now = state.now
            let ready = state.sleepers.values.filter { $0.deadline <= now }.sorted { $0.order < $1.order }
            for sleeper in ready { state.sleepers[sleeper.order] = nil }
            return (.woke, ready.map(\.continuation))
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
