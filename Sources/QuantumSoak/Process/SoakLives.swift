import QuantumCore
import QuantumServices
import Synchronization

/// The simulated trading process, life after life: started, crashed by the fault driver (at a drawn instant, so at
/// whatever await point each service is at, or at one of the executor's crash points), and started again from the
/// durable state after a short downtime, as its supervisor (systemd) would.
final class SoakLives: Sendable {
    private struct State {
        var current: SoakProcess?
        var armed: CrashPoint?
        var rotation = 0
        var downs: [(from: EpochMillis, to: EpochMillis)] = []
        var log: [(time: EpochMillis, line: String)] = []
    }

    private let clock: any EpochClock
    private let state = Mutex(State())

    init(clock: any EpochClock) {
        self.clock = clock
    }

    /// Intervals in which the process could not do its work: from a crash to a minute after the restart (its start-up).
    var downs: [(from: EpochMillis, to: EpochMillis)] { state.withLock { $0.downs } }

    /// The running life's service-crash channel (`nil` while the process is down).
    var serviceFaults: ServiceFaults? { state.withLock { $0.current?.serviceFaults } }

    /// Every crash and restart, for the trace.
    var log: [(time: EpochMillis, line: String)] { state.withLock { $0.log } }

    /// Runs lives until `end` (or cancellation); each runs `life` until it crashes, then the next starts after
    /// `downtime()`. Returns once every life's tasks have ended.
    func run(until end: EpochMillis, downtime: @escaping @Sendable () -> Duration,
             life: @escaping @Sendable (SoakProcess, CrashPoints) async -> Void) async {
        var tasks: [Task<Void, Never>] = []
        var number = 0
        while !Task.isCancelled, clock.now() < end {
            number += 1
            let process = SoakProcess(life: number)
            state.withLock { $0.current = process }
            let hooks = crashPoints(for: process)
            tasks.append(Task(executorPreference: TaskPlacement.executor) { await life(process, hooks) })
            await process.died()
            tasks.last?.cancel()
            let down = clock.now()
            state.withLock { $0.current = nil }
            if Task.isCancelled { break }
            do { try await clock.sleep(for: downtime()) } catch { break }
            let restart = clock.now()
            state.withLock {
                $0.downs.append((down, restart.advanced(by: .seconds(60))))
                $0.log.append((restart, "process restarted (life \(number + 1))"))
            }
        }
        state.withLock { $0.current }?.kill()
        for task in tasks {
            task.cancel()
            await task.value
        }
    }

    /// Crashes the running life now; `false` when none runs (it is already down).
    func crash() -> Bool {
        guard let process = state.withLock({ $0.current }) else { return false }
        process.kill()
        return true
    }

    /// Arms the next crash point in turn (after journal, after fill, before publish, again), unless one is armed: the
    /// next time the executor reaches it, the process crashes there. Returns the point armed.
    func armNext() -> CrashPoint? {
        state.withLock { state -> CrashPoint? in
            guard state.armed == nil else { return nil }
            let point = CrashPoint.allCases[state.rotation % CrashPoint.allCases.count]
            state.rotation += 1
            state.armed = point
            return point
        }
    }

    private func crashPoints(for process: SoakProcess) -> CrashPoints {
        CrashPoints { [clock] point in
            let hit = self.state.withLock { state -> Bool in
                guard state.armed == point, state.current === process else { return false }
                state.armed = nil
                return true
            }
            guard hit else { return }
            let now = clock.now()
            self.state.withLock { $0.log.append((now, "process crashed at \(point.rawValue)")) }
            process.kill()
            // A dead process goes no further: the executor waits here until its life's tasks are torn down.
            try? await clock.sleep(for: .seconds(365 * 86_400))
        }
    }
}
