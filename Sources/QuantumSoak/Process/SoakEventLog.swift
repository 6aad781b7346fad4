import QuantumBus

/// The bus as one life of the process sees it: the shared log, refused once that life has crashed.
struct SoakEventLog: EventLog {
    let base: any EventLog
    let process: SoakProcess

    private func alive() throws {
        try process.check()
    }

    func append(_ stream: String, fields: [String: String], maxLength: Int?) async throws -> EntryID {
        try alive()
        return try await base.append(stream, fields: fields, maxLength: maxLength)
    }

    func createGroup(_ stream: String, group: String, start: GroupStart) async throws {
        try alive()
        try await base.createGroup(stream, group: group, start: start)
    }

    func readNew(_ stream: String, group: String, consumer: String, count: Int, wait: Duration?) async throws -> [Delivery] {
        try alive()
        let deliveries = try await base.readNew(stream, group: group, consumer: consumer, count: count, wait: wait)
        // Delivered to a process that died meanwhile: pending under its consumer name, as in a real crash.
        try alive()
        return deliveries
    }

    func acknowledge(_ stream: String, group: String, ids: [EntryID]) async throws -> Int {
        try alive()
        return try await base.acknowledge(stream, group: group, ids: ids)
    }

    func pending(_ stream: String, group: String) async throws -> [PendingEntry] {
        try alive()
        return try await base.pending(stream, group: group)
    }

    func claim(_ stream: String, group: String, consumer: String, minIdle: Duration, count: Int) async throws -> [Delivery] {
        try alive()
        return try await base.claim(stream, group: group, consumer: consumer, minIdle: minIdle, count: count)
    }

    func claim(_ stream: String, group: String, consumer: String, ids: [EntryID], minIdle: Duration) async throws -> [Delivery] {
        try alive()
        return try await base.claim(stream, group: group, consumer: consumer, ids: ids, minIdle: minIdle)
    }

    func deadLetter(_ stream: String, group: String, id: EntryID, reason: String) async throws {
        try alive()
        try await base.deadLetter(stream, group: group, id: id, reason: reason)
    }

    func deadLetterExhausted(_ stream: String, group: String, maxDeliveries: Int) async throws -> [DeadLetter] {
        try alive()
        return try await base.deadLetterExhausted(stream, group: group, maxDeliveries: maxDeliveries)
    }

    func groups(_ stream: String) async throws -> [GroupInfo] {
        try alive()
        return try await base.groups(stream)
    }

    func length(_ stream: String) async throws -> Int {
        try alive()
        return try await base.length(stream)
    }

    func range(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry] {
        try alive()
        return try await base.range(stream, from: from, to: to, count: count)
    }

    func reverseRange(_ stream: String, from: EntryID, to: EntryID, count: Int) async throws -> [StreamEntry] {
        try alive()
        return try await base.reverseRange(stream, from: from, to: to, count: count)
    }
}
