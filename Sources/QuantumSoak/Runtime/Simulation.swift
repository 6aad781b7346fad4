import Foundation
import QuantumCore
import Synchronization

/// Runs an async body entirely inside a `SimulationScheduler`, on a thread of its own.
public enum Simulation {
    /// Runs `body` on `scheduler` until it returns (or virtual time would pass `end` with nothing left to run), and
    /// returns its value; `nil` if it did not finish. Every task the body starts, structured or placed with
    /// `TaskPlacement`, runs on the scheduler; the caller's thread is free meanwhile.
    public static func run<T: Sendable>(on scheduler: SimulationScheduler, until end: EpochMillis,
                                        _ body: @escaping @Sendable () async -> T) async -> T? {
        let outcome = Outcome<T>()
        // Created on the scheduler: its first job is queued here, before the loop's thread exists. (A task started on the
        // global pool and moved over would hop from a pool thread at a moment that depends on the machine's load.)
        let root = Task.detached(executorPreference: scheduler) {
            await withTaskExecutorPreference(scheduler) {
                await TaskPlacement.$executor.withValue(scheduler) {
                    outcome.finish(await body())
                }
            }
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                scheduler.run(until: end) { outcome.isDone }
                continuation.resume()
            }
            thread.stackSize = 64 << 20
            thread.name = "simulation"
            thread.start()
        }
        if !outcome.isDone { root.cancel() }
        return outcome.value
    }
}

/// The body's value, once it has one.
private final class Outcome<T: Sendable>: Sendable {
    private let state = Mutex<T?>(nil)
    private let done = Atomic<Bool>(false)

    func finish(_ value: T) {
        state.withLock { $0 = value }
        done.store(true, ordering: .sequentiallyConsistent)
    }

    var isDone: Bool { done.load(ordering: .sequentiallyConsistent) }
    var value: T? { state.withLock { $0 } }
}
