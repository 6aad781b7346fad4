import QuantumCore

/// The wait loop of `readNew(wait:)`, shared by every backend.
enum BlockingRead {
    /// Calls `attempt` until it delivers something, the wait elapses on `clock`, or the task is cancelled.
    ///
    /// Without a wait (or with a non-positive one) `attempt` runs once. Between attempts the reader
    /// sleeps until an append to the stream is announced on `notifier`, the deadline passes, or
    /// `poll` of real time passes (for appends the notifier cannot see). Cancellation during the
    /// wait returns nothing rather than throwing, so a reader loop can end cleanly.
    static func run(
        stream: String,
        wait: Duration?,
        clock: any EpochClock,
        notifier: AppendNotifier,
        poll: Duration?,
        attempt: () async throws -> [Delivery]
    ) async throws -> [Delivery] {
        guard let wait, wait > .zero else { return try await attempt() }
        let deadline = clock.now().advanced(by: wait)
        while true {
            let version = notifier.version(of: stream)
            let delivered = try await attempt()
            if !delivered.isEmpty { return delivered }
            let remaining = deadline.duration(since: clock.now())
            if remaining <= .zero { return [] }
            await notifier.waitForAppend(to: stream, since: version, timeout: remaining, clock: clock, poll: poll)
            if Task.isCancelled { return [] }
        }
    }
}
