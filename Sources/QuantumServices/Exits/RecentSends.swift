import QuantumCore

/// Remembers when each key was last sent, so a service does not repeat itself within a window.
///
/// Memory only: after a restart an intent may be sent once more, which the executor's plan
/// identity makes harmless (invariant 2). This only keeps the bus quiet.
struct RecentSends<Key: Hashable & Sendable>: Sendable {
    let window: Duration
    private var sentAt: [Key: EpochMillis] = [:]

    init(window: Duration) {
        self.window = window
    }

    /// Whether `key` was sent less than `window` before `now`.
    func contains(_ key: Key, now: EpochMillis) -> Bool {
        sentAt[key].map { now.duration(since: $0) < window } ?? false
    }

    mutating func record(_ key: Key, at now: EpochMillis) {
        sentAt[key] = now
    }

    /// Forgets every key whose window has passed.
    mutating func prune(now: EpochMillis) {
        sentAt = sentAt.filter { now.duration(since: $0.value) < window }
    }
}
