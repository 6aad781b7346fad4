import Testing

/// Collects a stream's events so a test can await the next matching one (with a deadline, so a
/// broken stream fails the test instead of hanging it; nothing sleeps to synchronise).
final class EventCollector<Event: Sendable>: Sendable {
    private let events: AsyncStream<Event>
    let continuation: AsyncStream<Event>.Continuation
    private let iterator: IteratorBox

    private final class IteratorBox: @unchecked Sendable {
        var iterator: AsyncStream<Event>.AsyncIterator
        init(_ iterator: AsyncStream<Event>.AsyncIterator) { self.iterator = iterator }
    }

    init() {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        self.events = events
        self.continuation = continuation
        self.iterator = IteratorBox(events.makeAsyncIterator())
    }

    /// The handler to give the venue.
    var handler: @Sendable (Event) async -> Void {
        let continuation = self.continuation
        return { event in continuation.yield(event) }
    }

    /// The next event for which `extract` returns a value, skipping others; fails after `timeout`.
    func next<T: Sendable>(timeout: Duration = .seconds(30), _ extract: @escaping @Sendable (Event) -> T?) async throws -> T {
        let box = iterator
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                while let event = await box.iterator.next() {
                    if let value = extract(event) { return value }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let value = first else { throw CollectorTimeout() }
            return value
        }
    }
}

struct CollectorTimeout: Error {}
