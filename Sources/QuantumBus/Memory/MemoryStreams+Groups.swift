import QuantumCore

/// Consumer-group operations: delivery, acknowledgement, pending, claims and dead letters.
extension MemoryStreams {
    /// Delivers up to `count` entries after the group's last delivered id to `consumer`.
    mutating func deliverNew(
        _ name: String, group: String, consumer: String, count: Int, now: EpochMillis
    ) throws(EventLogError) -> [Delivery] {
        try withGroup(name, group) { stream, state in
            let start = stream.firstIndex(after: state.lastDelivered)
            let batch = stream.entries[start..<min(stream.entries.count, start + count)]
            for entry in batch {
                state.pending[entry.id] = Pending(consumer: consumer, deliveredAt: now, deliveryCount: 1)
            }
            if let last = batch.last { state.lastDelivered = last.id }
            return batch.map { Delivery(entry: $0, deliveryCount: 1) }
        }
    }

    /// Removes entries from the group's pending list; returns how many were pending.
    mutating func acknowledge(_ name: String, group: String, ids: [EntryID]) throws(EventLogError) -> Int {
        try withGroup(name, group) { _, state in
            Set(ids).reduce(0) { acked, id in acked + (state.pending.removeValue(forKey: id) == nil ? 0 : 1) }
        }
    }

    /// The group's pending entries in id order, with idle time measured at `now`.
    func pending(_ name: String, group: String, now: EpochMillis) throws(EventLogError) -> [PendingEntry] {
        try self.group(name, group).pending.sorted { $0.key < $1.key }.map { id, pending in
            PendingEntry(
                id: id, consumer: pending.consumer,
                idle: max(.zero, now.duration(since: pending.deliveredAt)), deliveryCount: pending.deliveryCount
            )
        }
    }

    /// Transfers up to `count` entries idle for at least `minIdle` to `consumer` and delivers them again.
    mutating func claim(
        _ name: String, group: String, consumer: String, minIdle: Duration, count: Int, now: EpochMillis
    ) throws(EventLogError) -> [Delivery] {
        let ids = try self.group(name, group).pending.keys.sorted()
        return try claim(name, group: group, consumer: consumer, ids: ids, minIdle: minIdle, count: count, now: now)
    }

    /// Transfers up to `count` of `ids` that are pending and idle for at least `minIdle` to `consumer`, in id order.
    mutating func claim(
        _ name: String, group: String, consumer: String, ids: [EntryID], minIdle: Duration, count: Int, now: EpochMillis
    ) throws(EventLogError) -> [Delivery] {
        try withGroup(name, group) { stream, state in
            var claimed: [Delivery] = []
            for id in Set(ids).sorted() {
                guard claimed.count < count else { break }
                guard var pending = state.pending[id] else { continue }
                guard now.duration(since: pending.deliveredAt) >= minIdle else { continue }
                guard let entry = stream.entry(id) else {
                    state.pending[id] = nil // Cannot happen (pending entries are never trimmed); drop it like XAUTOCLAIM.
                    continue
                }
                pending.consumer = consumer
                pending.deliveredAt = now
                pending.deliveryCount += 1
                state.pending[id] = pending
                claimed.append(Delivery(entry: entry, deliveryCount: pending.deliveryCount))
            }
            return claimed
        }
    }

    /// Acknowledges one pending entry and appends it, described, to the dead-letter stream.
    mutating func deadLetter(
        _ name: String, group: String, id: EntryID, reason: String, deadLetterStream: String, now: EpochMillis
    ) throws(EventLogError) -> DeadLetter {
        let (letter, original) = try withGroup(name, group) { (stream, state) throws(EventLogError) in
            guard let pending = state.pending.removeValue(forKey: id) else {
                throw EventLogError(.notPending, "\(id) is not pending in group \(group) of \(name)")
            }
            let letter = DeadLetter(
                originalID: id, stream: name, group: group, reason: reason, deliveryCount: pending.deliveryCount
            )
            return (letter, stream.entry(id)?.fields ?? [:])
        }
        _ = append(deadLetterStream, fields: letter.entryFields(original: original), maxLength: nil, now: now)
        return letter
    }

    /// Dead-letters every pending entry delivered at least `maxDeliveries` times.
    mutating func deadLetterExhausted(
        _ name: String, group: String, maxDeliveries: Int, deadLetterStream: String, now: EpochMillis
    ) throws(EventLogError) -> [DeadLetter] {
        let exhausted = try pending(name, group: group, now: now).filter { $0.deliveryCount >= maxDeliveries }
        var letters: [DeadLetter] = []
        for entry in exhausted {
            let reason = "delivered \(entry.deliveryCount) times (max \(maxDeliveries))"
            letters.append(try deadLetter(
                name, group: group, id: entry.id, reason: reason, deadLetterStream: deadLetterStream, now: now
            ))
        }
        return letters
    }
}
