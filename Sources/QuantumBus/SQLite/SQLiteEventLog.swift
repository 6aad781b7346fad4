import GRDB
import QuantumCore

/// A durable event log in a SQLite file: the single-host production backend.
///
/// Every call is one all-or-nothing step of a group commit. A returned append or dead-lettering is on
/// disk (`synchronous=FULL`); a group's delivery and acknowledgement bookkeeping survives a process
/// crash and, after a power cut, may be behind by its last steps: those entries are delivered again,
/// as after a crash between handling and acknowledging them. Entry ids, idle times and the `readNew` wait are measured on the injected
/// clock. A blocked `readNew` wakes at once on an append made through the same `SQLiteDatabase`
/// instance, and otherwise notices appends (from other instances or processes) by polling every
/// `pollInterval` of real time until the wait elapses.
public struct SQLiteEventLog: EventLog {
    private let database: SQLiteDatabase
    private let clock: any EpochClock
    private let pollInterval: Duration

    /// An event log over `database` whose ids and times come from `clock`.
    public init(database: SQLiteDatabase, clock: any EpochClock = SystemEpochClock(), pollInterval: Duration = .milliseconds(50)) {
        self.database = database
        self.clock = clock
        self.pollInterval = pollInterval
    }

    private func write<T: Sendable>(
        _ durability: SQLiteGroupCommit.Durability = .full, _ body: @escaping @Sendable (Database, EpochMillis) throws -> T
    ) async throws -> T {
        let clock = clock
        return try await database.write(durability, { db in try body(db, clock.now()) }, wrap: { EventLogError(.backendFailure, $0) })
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database, EpochMillis) throws -> T) async throws -> T {
        let clock = clock
        return try await database.read({ db in try body(db, clock.now()) }, wrap: { EventLogError(.backendFailure, $0) })
    }

    public func append(_ stream: String, fields: [String: String], maxLength: Int?) async throws -> EntryID {
        try BusArguments.name(stream, "stream")
        if let maxLength { try BusArguments.atLeast(0, maxLength, "maxLength") }
        let id = try await write { db, now in
            try SQLiteStreams.append(db, stream, fields: fields, maxLength: maxLength, now: now)
        }
        database.notifier.notify(stream)
        return id
    }

    public func createGroup(_ stream: String, group: String, start: GroupStart) async throws {
        try BusArguments.streamAndGroup(stream, group)
        try await write { db, _ in try SQLiteStreams.createGroup(db, stream, group: group, start: start) }
    }

    public func readNew(
        _ stream: String, group: String, consumer: String, count: Int, wait: Duration?
    ) async throws -> [Delivery] {
        try BusArguments.delivery(stream, group, consumer: consumer, count: count)
        return try await BlockingRead.run(
            stream: stream, wait: wait, clock: clock, notifier: database.notifier, poll: pollInterval
        ) {
            try await write(.relaxed) { db, now in
                try SQLiteStreams.deliverNew(db, stream, group: group, consumer: consumer, count: count, now: now)
            }
        }
    }

    @discardableResult
    public func acknowledge(_ stream: String, group: String, ids: [EntryID]) async throws -> Int {
        try BusArguments.streamAndGroup(stream, group)
        return try await write(.relaxed) { db, _ in try SQLiteStreams.acknowledge(db, stream, group: group, ids: ids) }
    }

    public func pending(_ stream: String, group: String) async throws -> [PendingEntry] {
        try BusArguments.streamAndGroup(stream, group)
        return try await read { db, now in try SQLiteStreams.pending(db, stream, group: group, now: now) }
    }

    public func claim(
        _ stream: String, group: String, consumer: String, minIdle: Duration, count: Int
    ) async throws -> [Delivery] {
        try BusArguments.delivery(stream, group, consumer: consumer, count: count)
        if minIdle < .zero { throw EventLogError(.invalidArgument, "minIdle must not be negative") }
        return try await write { db, now in
            try SQLiteStreams.claim(db, stream, group: group, consumer: consumer, minIdle: minIdle, count: count, now: now)
        }
    }

    public func claim(_ stream: String, group: String, consumer: String, ids: [EntryID], minIdle: Duration) async throws -> [Delivery] {
        try BusArguments.claim(stream, group, consumer: consumer, minIdle: minIdle)
        return try await write { db, now in
            try SQLiteStreams.claim(db, stream, group: group, consumer: consumer, ids: ids, minIdle: minIdle, now: now)
        }
    }

    public func deadLetter(_ stream: String, group: String, id: EntryID, reason: String) async throws {
        try BusArguments.streamAndGroup(stream, group)
        let target = Self.deadLetterStream(for: stream)
        _ = try await write { db, now in
            try SQLiteStreams.deadLetter(
                db, stream, group: group, id: id, reason: reason, deadLetterStream: target, now: now
            )
        }
        database.notifier.notify(target)
    }

    public func deadLetterExhausted(_ stream: String, group: String, maxDeliveries: Int) async throws -> [DeadLetter] {
        try BusArguments.streamAndGroup(stream, group)
        try BusArguments.atLeast(1, maxDeliveries, "maxDeliveries")
        let target = Self.deadLetterStream(for: stream)
        let letters = try await write { db, now in
            try SQLiteStreams.deadLetterExhausted(
                db, stream, group: group, maxDeliveries: maxDeliveries, deadLetterStream: target, now: now
            )
        }
        if !letters.isEmpty { database.notifier.notify(target) }
        return letters
    }

    public func groups(_ stream: String) async throws -> [GroupInfo] {
        try BusArguments.name(stream, "stream")
        return try await read { db, _ in try SQLiteStreams.groups(db, stream) }
    }

    public func length(_ stream: String) async throws -> Int {
        try BusArguments.name(stream, "stream")
        return try await read { db, _ in try SQLiteStreams.length(db, stream) }
    }

    public func range(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry] {
        try BusArguments.name(stream, "stream")
        try BusArguments.atLeast(1, count, "count")
        return try await read { db, _ in
            try SQLiteStreams.range(db, stream, low: from, high: to, count: count, reversed: false)
        }
    }

    public func reverseRange(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry] {
        try BusArguments.name(stream, "stream")
        try BusArguments.atLeast(1, count, "count")
        return try await read { db, _ in
            try SQLiteStreams.range(db, stream, low: to, high: from, count: count, reversed: true)
        }
    }
}
