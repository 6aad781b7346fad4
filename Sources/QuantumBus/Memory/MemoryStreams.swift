import DequeModule
import QuantumCore

/// The streams of an in-memory event log as a plain value; `InMemoryEventLog` guards it with a lock.
struct MemoryStreams {
    /// A delivered, unacknowledged entry of a group.
    struct Pending {
        var consumer: String
        var deliveredAt: EpochMillis
        var deliveryCount: Int
    }

    /// A consumer group: how far it has been delivered, and what is still pending.
    struct Group {
        var lastDelivered: EntryID
        var pending: [EntryID: Pending] = [:]
    }

    /// One stream: entries in id order, the last id ever assigned (trimming does not reset it), its groups.
    struct Stream {
        /// A deque: trimming takes from the front on every append of a full stream, which must not move the rest.
        var entries: Deque<StreamEntry> = []
        var lastID: EntryID = .zero
        var groups: [String: Group] = [:]

        /// Index of the first entry with an id greater than `id`.
        func firstIndex(after id: EntryID) -> Int {
            var low = 0, high = entries.count
            while low < high {
                let mid = (low + high) / 2
                if entries[mid].id <= id { low = mid + 1 } else { high = mid }
            }
            return low
        }

        /// Index of the first entry with an id at least `id`.
        func firstIndex(notBefore id: EntryID) -> Int {
            var low = 0, high = entries.count
            while low < high {
                let mid = (low + high) / 2
                if entries[mid].id < id { low = mid + 1 } else { high = mid }
            }
            return low
        }

        /// The entry with this id, if still in the stream.
        func entry(_ id: EntryID) -> StreamEntry? {
            let index = firstIndex(notBefore: id)
            return index < entries.count && entries[index].id == id ? entries[index] : nil
        }

        /// Removes up to `excess` of the oldest entries that every group has been delivered and none has pending.
        mutating func trim(excess: Int) {
            guard excess > 0 else { return }
            let floor = groups.values.map(\.lastDelivered).min() ?? .max
            // Usually the oldest entries are the ones to go: taken from the front, one step each.
            var removed = 0
            while removed < excess, let first = entries.first, first.id <= floor, !isPending(first.id) {
                entries.removeFirst()
                removed += 1
            }
            guard removed < excess, let first = entries.first, first.id <= floor else { return }
            // A pending entry holds the front: the ones behind it that no group needs go. That costs a pass over the
            // stream, so a long stream does it once its excess is worth a pass (it runs up to 64 over meanwhile).
            let remaining = excess - removed
            guard remaining >= 64 || remaining * 8 > entries.count else { return }
            var doomed = Set<EntryID>()
            for entry in entries {
                if doomed.count == remaining || entry.id > floor { break }
                if isPending(entry.id) { continue }
                doomed.insert(entry.id)
            }
            if !doomed.isEmpty { entries.removeAll { doomed.contains($0.id) } }
        }

        private func isPending(_ id: EntryID) -> Bool {
            groups.values.contains { $0.pending[id] != nil }
        }
    }

    private(set) var streams: [String: Stream] = [:]

    /// Appends an entry stamped `now` and trims to `maxLength` (never past a group); returns its id.
    mutating func append(_ name: String, fields: [String: String], maxLength: Int?, now: EpochMillis) -> EntryID {
        modify(name) { stream in
            let id = EntryID.next(after: stream.lastID, atMilliseconds: now.rawValue)
            stream.entries.append(StreamEntry(id: id, fields: fields))
            stream.lastID = id
            if let maxLength { stream.trim(excess: stream.entries.count - maxLength) }
            return id
        }
    }

    /// Creates a group unless it exists (creating the stream too, like `XGROUP CREATE … MKSTREAM`).
    mutating func createGroup(_ name: String, group: String, start: GroupStart) {
        modify(name) { stream in
            guard stream.groups[group] == nil else { return }
            let last: EntryID = switch start {
            case .tail: stream.lastID
            case .beginning: .zero
            case let .after(id): id
            }
            stream.groups[group] = Group(lastDelivered: last)
        }
    }

    /// The groups of a stream, by name.
    func groups(_ name: String) -> [GroupInfo] {
        guard let stream = streams[name] else { return [] }
        return stream.groups.map { name, group in
            GroupInfo(
                name: name,
                lag: stream.entries.count - stream.firstIndex(after: group.lastDelivered),
                pending: group.pending.count,
                lastDeliveredID: group.lastDelivered
            )
        }
        .sorted { $0.name < $1.name }
    }

    /// Number of entries in a stream.
    func length(_ name: String) -> Int { streams[name]?.entries.count ?? 0 }

    /// Entries with `from <= id <= to`, oldest first.
    func range(_ name: String, from: EntryID, to: EntryID, count: Int) -> [StreamEntry] {
        guard let stream = streams[name], from <= to else { return [] }
        let start = stream.firstIndex(notBefore: from), end = stream.firstIndex(after: to)
        guard start < end else { return [] }
        return Array(stream.entries[start..<min(end, start + count)])
    }

    /// Entries with `from >= id >= to`, newest first.
    func reverseRange(_ name: String, from: EntryID, to: EntryID, count: Int) -> [StreamEntry] {
        guard let stream = streams[name], to <= from else { return [] }
        let start = stream.firstIndex(notBefore: to), end = stream.firstIndex(after: from)
        guard start < end else { return [] }
        return Array(stream.entries[max(start, end - count)..<end].reversed())
    }

    /// The group, or `.noSuchGroup`.
    func group(_ name: String, _ group: String) throws(EventLogError) -> Group {
        guard let found = streams[name]?.groups[group] else {
            throw EventLogError(.noSuchGroup, "no group \(group) on stream \(name)")
        }
        return found
    }

    /// Runs `body` on a stream in place (creating it if absent).
    mutating func modify<T, E: Error>(_ name: String, _ body: (inout Stream) throws(E) -> T) throws(E) -> T {
        try body(&streams[name, default: Stream()])
    }

    /// Runs `body` on a stream and its existing group in place; `.noSuchGroup` if the group does not exist.
    mutating func withGroup<T>(
        _ name: String, _ group: String, _ body: (inout Stream, inout Group) throws(EventLogError) -> T
    ) throws(EventLogError) -> T {
        _ = try self.group(name, group)
        return try modify(name) { (stream: inout Stream) throws(EventLogError) -> T in
            guard var found = stream.groups.removeValue(forKey: group) else {
                throw EventLogError(.noSuchGroup, "no group \(group) on stream \(name)")
            }
            defer { stream.groups[group] = found }
            return try body(&stream, &found)
        }
    }
}
