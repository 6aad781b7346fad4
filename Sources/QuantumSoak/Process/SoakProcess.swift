import QuantumServices
import Synchronization

/// One life of the simulated trading process, from its start to its crash. Once dead, everything it reaches through
/// (its store, its bus, its exchange connection) refuses it, as the world refuses a killed process: nothing it does
/// after the crash lands anywhere, and its tasks wind down in the dark.
final class SoakProcess: Sendable {
    /// What a dead process's every call gets.
    struct Dead: Error, CustomStringConvertible {
        var description: String { "the process has crashed" }
    }

    /// Which life this is: 1 for the first start, 2 after the first crash, …
    let life: Int
    /// Where the fault driver asks this life's supervisors to crash one of its services.
    let serviceFaults = ServiceFaults()
    private let state = Mutex<(dead: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    init(life: Int) {
        self.life = life
    }

    var isDead: Bool { state.withLock { $0.dead } }

    /// Throws `Dead` once the process has crashed.
    func check() throws(Dead) {
        if isDead { throw Dead() }
    }

    /// Crashes the process at this instant.
    func kill() {
        let waiting = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.dead = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }

    /// Returns once the process has crashed (or the waiting task is cancelled).
    func died() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.dead || Task.isCancelled { return true }
                    state.waiting.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            kill()
        }
    }
}
