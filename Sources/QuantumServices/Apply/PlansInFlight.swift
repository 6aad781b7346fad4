import QuantumBus
import QuantumCore
import Synchronization

/// The plan entries handed to a lane and not yet acknowledged, with a generation that moves on every change (the
/// shutdown drain waits on it).
final class PlansInFlight: Sendable {
    private struct State {
        var ids = Set<EntryID>()
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    func insert(_ id: EntryID) { changed { _ = $0.insert(id) } }
    func remove(_ id: EntryID) { changed { _ = $0.remove(id) } }
    var ids: Set<EntryID> { state.withLock { $0.ids } }
    var isEmpty: Bool { state.withLock { $0.ids.isEmpty } }
    /// Whether nothing is in hand, and the generation that answer belongs to.
    var snapshot: (isEmpty: Bool, generation: UInt64) { state.withLock { ($0.ids.isEmpty, $0.generation) } }

    private func changed(_ update: (inout Set<EntryID>) -> Void) {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            update(&state.ids)
            state.generation &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in woken { waiter.resume() }
    }

    /// Returns once the set has changed since `generation`, after `limit` on `clock`, or on cancellation.
    func change(after generation: UInt64, orWithin limit: Duration, clock: any EpochClock) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.waitForChange(after: generation) }
            group.addTask { try? await clock.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForChange(after generation: UInt64) async {
        let key = state.withLock { state -> UInt64 in
            defer { state.nextWaiter &+= 1 }
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[key] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: key) }
            waiter?.resume()
        }
    }
}
