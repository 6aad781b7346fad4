import QuantumCore
import Synchronization

/// An event log held in memory: the test and backtest backend, with the semantics of every other backend.
///
/// Entry ids, idle times and the `readNew` wait are measured on the injected clock. A blocked
/// `readNew` wakes as soon as an entry is appended to its stream (no polling).
public final class InMemoryEventLog: EventLog {
    private let clock: any EpochClock
    private let state = Mutex(MemoryStreams())
    private let notifier = AppendNotifier()

    /// Creates an empty log whose ids and times come from `clock`.
    public init(clock: any EpochClock = SystemEpochClock()) {
        self.clock = clock
    }

    public func append(_ stream: String, fields: [String: String], maxLength: Int?) async throws -> EntryID {
        try BusArguments.name(stream, "stream")
        if let maxLength { try BusArguments.atLeast(0, maxLength, "maxLength") }
        let now = clock.now()
        let id = state.withLock { $0.append(stream, fields: fields, maxLength: maxLength, now: now) }
        notifier.notify(stream)
        return id
    }

    public func createGroup(_ stream: String, group: String, start: GroupStart) async throws {
        try BusArguments.streamAndGroup(stream, group)
        state.withLock { $0.createGroup(stream, group: group, start: start) }
    }

    public func readNew(
        _ stream: String, group: String, consumer: String, count: Int, wait: Duration?
    ) async throws -> [Delivery] {
        try BusArguments.delivery(stream, group, consumer: consumer, count: count)
        return try await BlockingRead.run(
            stream: stream, wait: wait, clock: clock, notifier: notifier, poll: nil
        ) { () throws(EventLogError) -> [Delivery] in
            let now = clock.now()
            return try state.withLock { (streams: inout MemoryStreams) throws(EventLogError) -> [Delivery] in
                try streams.deliverNew(stream, group: group, consumer: consumer, count: count, now: now)
            }
        }
    }

    @discardableResult
    public func acknowledge(_ stream: String, group: String, ids: [EntryID]) async throws -> Int {
        try BusArguments.streamAndGroup(stream, group)
        return try state.withLock { (streams: inout MemoryStreams) throws(EventLogError) -> Int in
            try streams.acknowledge(stream, group: group, ids: ids)
        }
    }

    public func pending(_ stream: String, group: String) async throws -> [PendingEntry] {
        try BusArguments.streamAndGroup(stream, group)
        let now = clock.now()
        return try state.withLock { (streams: inout MemoryStreams) throws(EventLogError) -> [PendingEntry] in
            try streams.pending(stream, group: group, now: now)
        }
    }

    public func claim(
        _ stream: String, group: String, consumer: String, minIdle: Duration, count: Int
    ) async throws -> [Delivery] {
        try BusArguments.delivery(stream, group, consumer: consumer, count: count)
        if minIdle < .zero { throw EventLogError(.invalidArgument, "minIdle must not be negative") }
        let now = clock.now()
        return try state.withLock { (streams: inout MemoryStreams) throws(EventLogError) -> [Delivery] in
            try streams.claim(stream, group: group, consumer: consumer, minIdle: minIdle, count: count, now: now)
        }
    }

    public func claim(_ stream: String, group: String, consumer: String, ids: [EntryID], minIdle: Duration) async throws -> [Delivery] {
        try BusArguments.claim(stream, group, consumer: consumer, minIdle: minIdle)
        let now = clock.now()
        return try state.withLock { (streams: inout MemoryStreams) throws(EventLogError) -> [Delivery] in
            try streams.claim(stream, group: group, consumer: consumer, ids: ids, minIdle: minIdle, count: .max, now: now)
        }
    }

    public func deadLetter(_ stream: String, group: String, id: EntryID, reason: String) async throws {
        try BusArguments.streamAndGroup(stream, group)
        let target = Self.deadLetterStream(for: stream)
        let now = clock.now()
        _ = try state.withLock { (streams: inout MemoryStreams) throws(EventLogError) -> DeadLetter in
            try streams.deadLetter(stream, group: group, id: id, reason: reason, deadLetterStream: target, now: now)
        }
        notifier.notify(target)
    }

    public func deadLetterExhausted(_ stream: String, group: String, maxDeliveries: Int) async throws -> [DeadLetter] {
        try BusArguments.streamAndGroup(stream, group)
        try BusArguments.atLeast(1, maxDeliveries, "maxDeliveries")
        let target = Self.deadLetterStream(for: stream)
        let now = clock.now()
        let letters = try state.withLock { (streams: inout MemoryStreams) throws(EventLogError) -> [DeadLetter] in
            try streams.deadLetterExhausted(
                stream, group: group, maxDeliveries: maxDeliveries, deadLetterStream: target, now: now
            )
        }
        if !letters.isEmpty { notifier.notify(target) }
        return letters
    }

    public func groups(_ stream: String) async throws -> [GroupInfo] {
        try BusArguments.name(stream, "stream")
        return state.withLock { $0.groups(stream) }
    }

    public func length(_ stream: String) async throws -> Int {
        try BusArguments.name(stream, "stream")
        return state.withLock { $0.length(stream) }
    }

    public func range(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry] {
        try BusArguments.name(stream, "stream")
        try BusArguments.atLeast(1, count, "count")
        return state.withLock { $0.range(stream, from: from, to: to, count: count) }
    }

    public func reverseRange(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry] {
        try BusArguments.name(stream, "stream")
        try BusArguments.atLeast(1, count, "count")
        return state.withLock { $0.reverseRange(stream, from: from, to: to, count: count) }
    }
}
