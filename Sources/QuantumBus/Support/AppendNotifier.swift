import QuantumCore
import Synchronization

/// Wakes readers blocked in `readNew(wait:)` when an entry is appended to their stream.
///
/// Each stream has a version that every append bumps. A reader notes the version before it looks
/// for entries and then waits for a change: an append between the look and the wait is never lost.
final class AppendNotifier: Sendable {
    private struct State {
        var versions: [String: UInt64] = [:]
        /// The waiting readers of each stream, by waiter id.
        var waiters: [String: [UInt64: CheckedContinuation<Void, Never>]] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The current version of a stream (how many appends were announced so far).
    func version(of stream: String) -> UInt64 {
        state.withLock { $0.versions[stream, default: 0] }
    }

    /// The streams some reader of this process is blocked on now, sorted.
    func waitedStreams() -> [String] {
        state.withLock { state in state.waiters.filter { !$0.value.isEmpty }.keys.sorted() }
    }

    /// Announces an append to `stream` and wakes its waiters.
    func notify(_ stream: String) {
        let woken: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.versions[stream, default: 0] &+= 1
            guard let waiting = state.waiters.removeValue(forKey: stream) else { return [] }
            return waiting.sorted { $0.key < $1.key }.map(\.value)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns once the stream's version differs from `version`, or the task is cancelled.
    func waitForChange(of stream: String, since version: UInt64) async {
        let id = state.withLock { state -> UInt64 in
            state.nextID &+= 1
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    // Checked under the lock: a cancellation handler running later finds the waiter.
                    if Task.isCancelled || state.versions[stream, default: 0] != version { return true }
                    state.waiters[stream, default: [:]][id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { $0.waiters[stream]?.removeValue(forKey: id) }
            cancelled?.resume()
        }
    }

    /// Waits for an append to `stream` after `version`, for `timeout` on `clock`, or for `poll` of real time.
    ///
    /// Returns on whichever comes first; the caller then looks again. `poll` lets a backend notice
    /// appends this notifier cannot see (made by another process).
    func waitForAppend(
        to stream: String, since version: UInt64, timeout: Duration, clock: any EpochClock, poll: Duration?
    ) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForChange(of: stream, since: version) }
            group.addTask { try? await clock.sleep(for: timeout) }
            if let poll {
                group.addTask { try? await Task.sleep(for: poll) }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
