import QuantumCore

/// One entry of a stream: flat string fields, as on a Redis stream.
public struct StreamEntry: Hashable, Sendable {
    public var id: EntryID
    public var fields: [String: String]

    public init(id: EntryID, fields: [String: String]) {
        self.id = id
        self.fields = fields
    }

    /// When the entry was appended (the millisecond part of its id).
    public var createdAt: EpochMillis { EpochMillis(Int64(clamping: id.milliseconds)) }
}

/// An entry handed to a consumer of a group, with how often it has been delivered (1 on first delivery).
public struct Delivery: Hashable, Sendable {
    public var entry: StreamEntry
    public var deliveryCount: Int

    public init(entry: StreamEntry, deliveryCount: Int) {
        self.entry = entry
        self.deliveryCount = deliveryCount
    }
}

/// An entry delivered to a consumer of a group and not yet acknowledged.
public struct PendingEntry: Hashable, Sendable {
    public var id: EntryID
    public var consumer: String
    /// Time since the entry was last delivered.
    public var idle: Duration
    public var deliveryCount: Int

    public init(id: EntryID, consumer: String, idle: Duration, deliveryCount: Int) {
        self.id = id
        self.consumer = consumer
        self.idle = idle
        self.deliveryCount = deliveryCount
    }
}

/// Where a new consumer group starts reading.
public enum GroupStart: Hashable, Sendable {
    /// Only entries appended after the group is created (the default: fresh events only, invariant 9).
    case tail
    /// Every entry still in the stream (an intended replay).
    case beginning
    /// Entries with ids greater than this one.
    case after(EntryID)
}

/// An entry moved to a dead-letter stream, and why.
public struct DeadLetter: Hashable, Sendable {
    public var originalID: EntryID
    public var stream: String
    public var group: String
    public var reason: String
    public var deliveryCount: Int

    public init(originalID: EntryID, stream: String, group: String, reason: String, deliveryCount: Int) {
        self.originalID = originalID
        self.stream = stream
        self.group = group
        self.reason = reason
        self.deliveryCount = deliveryCount
    }
}

/// Summary of a consumer group for health and metrics.
public struct GroupInfo: Hashable, Sendable {
    public var name: String
    /// Entries in the stream after the group's last delivered id (not yet delivered).
    public var lag: Int
    /// Entries delivered and not yet acknowledged.
    public var pending: Int
    public var lastDeliveredID: EntryID

    public init(name: String, lag: Int, pending: Int, lastDeliveredID: EntryID) {
        self.name = name
        self.lag = lag
        self.pending = pending
        self.lastDeliveredID = lastDeliveredID
    }
}

/// An append-only log of streams with consumer groups: the message bus of every service.
///
/// The semantics are those of Redis streams (XADD, XGROUP, XREADGROUP, XACK, XPENDING, XAUTOCLAIM),
/// with two guarantees Redis leaves to the caller built in: trimming never removes an entry that a
/// group has not yet acknowledged or been delivered, and poison entries are dead-lettered after
/// a bounded number of deliveries. Every backend passes one contract test suite.
public protocol EventLog: Sendable {
    /// Appends an entry stamped with the log's clock and returns its id (ids strictly increase per stream).
    ///
    /// With `maxLength`, the oldest entries beyond that length are trimmed, except any entry a group
    /// has not yet been delivered or still has pending: trimming never outruns a consumer.
    func append(_ stream: String, fields: [String: String], maxLength: Int?) async throws -> EntryID

    /// Creates a consumer group; creating an existing group is a no-op that leaves it unchanged.
    func createGroup(_ stream: String, group: String, start: GroupStart) async throws

    /// Delivers up to `count` entries the group has not been delivered yet to `consumer`, making them pending.
    ///
    /// When none is available and `wait` is given, waits up to that long (on the log's clock) for an
    /// append; cancelling the waiting task ends the wait with no deliveries. Throws `.noSuchGroup`
    /// for a group that was never created (so do the other group calls).
    func readNew(_ stream: String, group: String, consumer: String, count: Int, wait: Duration?) async throws -> [Delivery]

    /// Acknowledges entries; returns how many were pending.
    @discardableResult
    func acknowledge(_ stream: String, group: String, ids: [EntryID]) async throws -> Int

    /// The group's pending entries, oldest first.
    func pending(_ stream: String, group: String) async throws -> [PendingEntry]

    /// Transfers up to `count` pending entries idle for at least `minIdle` to `consumer` and delivers them again
    /// (their delivery count goes up by one).
    func claim(_ stream: String, group: String, consumer: String, minIdle: Duration, count: Int) async throws -> [Delivery]

    /// Transfers these pending entries to `consumer` and delivers them again (their delivery count goes up by one), each
    /// only if it is still pending and idle for at least `minIdle`; the others are skipped. In id order.
    ///
    /// A consumer that knows which of its entries are still being handled takes over only the others: claiming an entry
    /// in hand would count a delivery that never happened, and dead-letter a plan that is being executed.
    func claim(_ stream: String, group: String, consumer: String, ids: [EntryID], minIdle: Duration) async throws -> [Delivery]

    /// Moves one pending entry to the dead-letter stream of `stream` with a reason, and acknowledges it.
    func deadLetter(_ stream: String, group: String, id: EntryID, reason: String) async throws

    /// Moves every pending entry delivered at least `maxDeliveries` times to the dead-letter stream and acknowledges it.
    func deadLetterExhausted(_ stream: String, group: String, maxDeliveries: Int) async throws -> [DeadLetter]

    /// The groups of a stream with their lag and pending counts.
    func groups(_ stream: String) async throws -> [GroupInfo]

    /// Number of entries in the stream.
    func length(_ stream: String) async throws -> Int

    /// Entries with `from <= id <= to`, oldest first, at most `count`.
    func range(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry]

    /// Entries with `from >= id >= to`, newest first, at most `count`.
    func reverseRange(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry]
}

extension EventLog {
    /// The name of the stream that receives the dead letters of `stream`.
    public static func deadLetterStream(for stream: String) -> String { stream + ".deadletter" }

    /// Appends without trimming.
    public func append(_ stream: String, fields: [String: String]) async throws -> EntryID {
        try await append(stream, fields: fields, maxLength: nil)
    }

    /// Lag of one group: entries not yet delivered to it (nil if the group does not exist).
    public func lag(_ stream: String, group: String) async throws -> Int? {
        try await groups(stream).first { $0.name == group }?.lag
    }
}

/// Errors every event log backend reports.
public struct EventLogError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        case noSuchGroup = "no_such_group"
        case notPending = "not_pending"
        case invalidArgument = "invalid_argument"
        case backendFailure = "backend_failure"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
