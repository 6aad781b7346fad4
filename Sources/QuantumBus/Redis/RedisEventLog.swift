import QuantumCore
import QuantumRedis

/// The event log on Redis streams: the bus of a system whose services run on several machines.
///
/// Each stream is a Redis stream and each group a Redis consumer group, so `redis-cli` shows the truth. What Redis
/// does not do the way the contract needs is done in Lua, one script per call: ids and delivery times come from the
/// injected clock, trimming never outruns a group, and claims use the log's idle times. A blocked `readNew` wakes at
/// once on an append through the same instance, and notices appends from other processes by polling every
/// `pollInterval` of real time.
public struct RedisEventLog: EventLog {
    let client: RedisClient
    private let clock: any EpochClock
    let names: RedisBusNames
    private let pollInterval: Duration
    let notifier = AppendNotifier()

    /// A log on `client` whose ids and times come from `clock`.
    public init(client: RedisClient, clock: any EpochClock = SystemEpochClock(), names: RedisBusNames = RedisBusNames(),
                pollInterval: Duration = .milliseconds(10)) {
        self.client = client
        self.clock = clock
        self.names = names
        self.pollInterval = pollInterval
    }

    private func run(_ script: RedisScript, keys: [String], _ arguments: [RedisArgument]) async throws -> RESPValue {
        do {
            return try await client.evalsha(script, keys: keys, arguments: arguments)
        } catch let error as RedisError {
            throw EventLogError(redis: error)
        }
    }

    private var now: RedisArgument { .integer(Int(clock.now().rawValue)) }

    public func append(_ stream: String, fields: [String: String], maxLength: Int?) async throws -> EntryID {
        try BusArguments.name(stream, "stream")
        if let maxLength { try BusArguments.atLeast(0, maxLength, "maxLength") }
        var arguments: [RedisArgument] = [now, .integer(maxLength ?? -1)]
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) { arguments += [.string(name), .string(value)] }
        let reply = try await run(RedisStreamScripts.append, keys: [names.key(stream)], arguments)
        notifier.notify(stream)
        return try RedisStreamReply.id(reply)
    }

    public func createGroup(_ stream: String, group: String, start: GroupStart) async throws {
        try BusArguments.streamAndGroup(stream, group)
        let from = switch start {
        case .tail: "$"
        case .beginning: "0"
        case .after(let id): id.description
        }
        do {
            _ = try await client.send(RedisCommand("XGROUP", ["CREATE", .string(names.key(stream)), .string(group), .string(from), "MKSTREAM"]))
        } catch let error as RedisError where error.serverErrorKind == "BUSYGROUP" {
            return
        } catch let error as RedisError {
            throw EventLogError(redis: error)
        }
    }

    public func readNew(_ stream: String, group: String, consumer: String, count: Int, wait: Duration?) async throws -> [Delivery] {
        try BusArguments.delivery(stream, group, consumer: consumer, count: count)
        return try await BlockingRead.run(stream: stream, wait: wait, clock: clock, notifier: notifier, poll: pollInterval) {
            let reply = try await run(RedisStreamScripts.deliverNew, keys: [names.key(stream), names.deliveries(stream, group: group)],
                                      [.string(group), .string(consumer), .integer(count), now])
            return try RedisStreamReply.entries(reply).map { Delivery(entry: $0, deliveryCount: 1) }
        }
    }

    @discardableResult
    public func acknowledge(_ stream: String, group: String, ids: [EntryID]) async throws -> Int {
        try BusArguments.streamAndGroup(stream, group)
        let unique = Array(Set(ids)).sorted().map { RedisArgument.string($0.description) }
        let reply = try await run(RedisStreamScripts.acknowledge, keys: [names.key(stream), names.deliveries(stream, group: group)],
                                  [.string(group)] + unique)
        return try RedisStreamReply.integer(reply)
    }

    public func pending(_ stream: String, group: String) async throws -> [PendingEntry] {
        try BusArguments.streamAndGroup(stream, group)
        let reply = try await run(RedisStreamScripts.pending, keys: [names.key(stream), names.deliveries(stream, group: group)],
                                  [.string(group)])
        return try RedisStreamReply.pending(reply, now: clock.now())
    }

    public func claim(_ stream: String, group: String, consumer: String, minIdle: Duration, count: Int) async throws -> [Delivery] {
        try BusArguments.delivery(stream, group, consumer: consumer, count: count)
        if minIdle < .zero { throw EventLogError(.invalidArgument, "minIdle must not be negative") }
        let reply = try await run(RedisStreamScripts.claim, keys: [names.key(stream), names.deliveries(stream, group: group)],
                                  [.string(group), .string(consumer), .integer(Int(minIdle.wholeMilliseconds)), .integer(count), now])
        return try RedisStreamReply.claimed(reply)
    }

    public func claim(_ stream: String, group: String, consumer: String, ids: [EntryID], minIdle: Duration) async throws -> [Delivery] {
        try BusArguments.claim(stream, group, consumer: consumer, minIdle: minIdle)
        let unique = Set(ids).sorted()
        if unique.isEmpty {
            _ = try await pending(stream, group: group)  // an unknown group is still reported
            return []
        }
        let reply = try await run(RedisStreamScripts.claim, keys: [names.key(stream), names.deliveries(stream, group: group)],
                                  [.string(group), .string(consumer), .integer(Int(minIdle.wholeMilliseconds)), .integer(unique.count), now]
                                      + unique.map { .string($0.description) })
        return try RedisStreamReply.claimed(reply)
    }

    public func deadLetter(_ stream: String, group: String, id: EntryID, reason: String) async throws {
        try BusArguments.streamAndGroup(stream, group)
        _ = try await moveToDeadLetters(stream, group: group, id: id, reason: reason)
    }

    /// Dead-letters one pending entry in one atomic step; returns how often it had been delivered.
    private func moveToDeadLetters(_ stream: String, group: String, id: EntryID, reason: String) async throws -> Int {
        let target = Self.deadLetterStream(for: stream)
        // The description fields as `entryFields` writes them; the delivery count is known only inside the script.
        let letter = DeadLetter(originalID: id, stream: stream, group: group, reason: reason, deliveryCount: 0)
        var arguments: [RedisArgument] = [.string(group), .string(id.description), now]
        for (name, value) in letter.entryFields(original: [:]).sorted(by: { $0.key < $1.key }) where name != DeadLetter.deliveryCountField {
            arguments += [.string(name), .string(value)]
        }
        arguments.append(.string(DeadLetter.deliveryCountField))
        let reply = try await run(RedisStreamScripts.deadLetter,
                                  keys: [names.key(stream), names.deliveries(stream, group: group), names.key(target)], arguments)
        notifier.notify(target)
        return try RedisStreamReply.integer(reply)
    }

    public func deadLetterExhausted(_ stream: String, group: String, maxDeliveries: Int) async throws -> [DeadLetter] {
        try BusArguments.streamAndGroup(stream, group)
        try BusArguments.atLeast(1, maxDeliveries, "maxDeliveries")
        var letters: [DeadLetter] = []
        for entry in try await pending(stream, group: group) where entry.deliveryCount >= maxDeliveries {
            let reason = "delivered \(entry.deliveryCount) times (max \(maxDeliveries))"
            do {
                let deliveries = try await moveToDeadLetters(stream, group: group, id: entry.id, reason: reason)
                letters.append(DeadLetter(originalID: entry.id, stream: stream, group: group, reason: reason, deliveryCount: deliveries))
            } catch let error as EventLogError where error.code == .notPending {
                continue  // acknowledged meanwhile by its consumer
            }
        }
        return letters
    }

    public func groups(_ stream: String) async throws -> [GroupInfo] {
        try BusArguments.name(stream, "stream")
        let reply = try await run(RedisStreamScripts.groups, keys: [names.key(stream)], [])
        return try RedisStreamReply.groups(reply).sorted { $0.name < $1.name }
    }

    public func length(_ stream: String) async throws -> Int {
        try BusArguments.name(stream, "stream")
        do {
            return try RedisStreamReply.integer(try await client.send(RedisCommand("XLEN", [.string(names.key(stream))])))
        } catch let error as RedisError {
            throw EventLogError(redis: error)
        }
    }

    public func range(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry] {
        try BusArguments.name(stream, "stream")
        try BusArguments.atLeast(1, count, "count")
        return try await entries("XRANGE", stream, from, to, count)
    }

    public func reverseRange(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry] {
        try BusArguments.name(stream, "stream")
        try BusArguments.atLeast(1, count, "count")
        return try await entries("XREVRANGE", stream, from, to, count)
    }

    private func entries(_ command: String, _ stream: String, _ from: EntryID, _ to: EntryID, _ count: Int) async throws -> [StreamEntry] {
        // Redis refuses a start beyond the end for XRANGE (and the reverse); the contract answers nothing.
        if command == "XRANGE" ? from > to : from < to { return [] }
        do {
            let reply = try await client.send(RedisCommand(command, [.string(names.key(stream)), .string(from.description),
                                                                     .string(to.description), "COUNT", .integer(count)]))
            return try RedisStreamReply.entries(reply)
        } catch let error as RedisError {
            throw EventLogError(redis: error)
        }
    }
}
