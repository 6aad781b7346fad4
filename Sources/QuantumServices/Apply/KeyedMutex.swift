import QuantumCore

/// Mutual exclusion per key, first come first served: one symbol's work runs one at a time.
///
/// The executor, the user-stream fill handler and reconciliation all take the symbol's lock before
/// touching its position, so a position is never written by two tasks at once (invariant 1), while
/// different symbols proceed concurrently. Periodic work (the protection monitor, reconciliation)
/// waits a bounded time and skips a symbol whose lock stays busy, so one stuck symbol never stalls
/// the others.
actor KeyedMutex<Key: Hashable & Sendable> {
    private struct Waiter {
        var id: UInt64
        var continuation: CheckedContinuation<Bool, Never>
    }

    private var held: Set<Key> = []
    private var waiters: [Key: [Waiter]] = [:]
    private var nextID: UInt64 = 0

    func withLock<T: Sendable>(_ key: Key, _ body: @Sendable () async throws -> T) async rethrows -> T {
        _ = await acquire(key, within: nil, clock: nil)
        defer { release(key) }
        return try await body()
    }

    /// Runs `body` under the key's lock if it can be had within `limit` on `clock`; `nil` (and `body` not run) if not.
    func withLock<T: Sendable>(_ key: Key, waitingAtMost limit: Duration, clock: any EpochClock,
                               _ body: @Sendable () async throws -> T) async rethrows -> T? {
        guard await acquire(key, within: limit, clock: clock) else { return nil }
        defer { release(key) }
        return try await body()
    }

    /// Whether the key is held right now.
    func isHeld(_ key: Key) -> Bool { held.contains(key) }

    /// How many wait for the key right now.
    func waiting(_ key: Key) -> Int { waiters[key]?.count ?? 0 }

    private func acquire(_ key: Key, within limit: Duration?, clock: (any EpochClock)?) async -> Bool {
        guard held.contains(key) else {
            held.insert(key)
            return true
        }
        nextID += 1
        let id = nextID
        var timer: Task<Void, Never>?
        if let limit, let clock {
            timer = Task(executorPreference: TaskPlacement.executor) { [weak self] in
                do { try await clock.sleep(for: limit) } catch { return }
                await self?.expire(key, id)
            }
        }
        defer { timer?.cancel() }
        return await withCheckedContinuation { waiters[key, default: []].append(Waiter(id: id, continuation: $0)) }
    }

    /// A bounded wait ran out: the waiter leaves the queue without the lock.
    private func expire(_ key: Key, _ id: UInt64) {
        guard var queue = waiters[key], let index = queue.firstIndex(where: { $0.id == id }) else { return }
        let waiter = queue.remove(at: index)
        waiters[key] = queue.isEmpty ? nil : queue
        waiter.continuation.resume(returning: false)
    }

    private func release(_ key: Key) {
        if var queue = waiters[key], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[key] = queue.isEmpty ? nil : queue
            next.continuation.resume(returning: true)
        } else {
            held.remove(key)
        }
    }
}
