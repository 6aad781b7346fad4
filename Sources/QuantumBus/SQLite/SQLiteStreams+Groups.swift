import GRDB
import QuantumCore

/// Consumer-group SQL: delivery, acknowledgement, pending, claims and dead letters.
extension SQLiteStreams {
    /// The group's last delivered id; `.noSuchGroup` if it does not exist.
    static func lastDelivered(_ db: Database, _ stream: String, group: String) throws -> EntryID {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT last_delivered_ms AS ms, last_delivered_seq AS seq FROM groups WHERE stream = ? AND name = ?"),
            arguments: [stream, group]
        ) else { throw EventLogError(.noSuchGroup, "no group \(group) on stream \(stream)") }
        return EntryID(sqlMilliseconds: row["ms"], sequence: row["seq"])
    }

    /// Delivers up to `count` entries after the group's last delivered id to `consumer`.
    static func deliverNew(
        _ db: Database, _ stream: String, group: String, consumer: String, count: Int, now: EpochMillis
    ) throws -> [Delivery] {
        let last = try lastDelivered(db, stream, group: group)
        let entries = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT ms, seq, fields FROM entries WHERE stream = ? AND (ms, seq) > (?, ?) ORDER BY ms, seq LIMIT ?"),
            arguments: [stream, last.sql.ms, last.sql.seq, count]
        ).map(entry)
        guard let newest = entries.last else { return [] }
        for entry in entries {
            try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO pending (stream, grp, ms, seq, consumer, delivered_at, delivery_count)
                    VALUES (?, ?, ?, ?, ?, ?, 1)
                    """).execute(arguments: [stream, group, entry.id.sql.ms, entry.id.sql.seq, consumer, now.rawValue]
            )
        }
        try db.cachedStatement(sql: "UPDATE groups SET last_delivered_ms = ?, last_delivered_seq = ? WHERE stream = ? AND name = ?").execute(arguments: [newest.id.sql.ms, newest.id.sql.seq, stream, group]
        )
        return entries.map { Delivery(entry: $0, deliveryCount: 1) }
    }

    /// Removes entries from the group's pending list; returns how many were pending.
    static func acknowledge(_ db: Database, _ stream: String, group: String, ids: [EntryID]) throws -> Int {
        _ = try lastDelivered(db, stream, group: group)
        var acknowledged = 0
        for id in Set(ids) {
            try db.cachedStatement(sql: "DELETE FROM pending WHERE stream = ? AND grp = ? AND ms = ? AND seq = ?").execute(arguments: [stream, group, id.sql.ms, id.sql.seq]
            )
            acknowledged += db.changesCount
        }
        return acknowledged
    }

    /// The group's pending entries in id order, with idle time measured at `now`.
    static func pending(_ db: Database, _ stream: String, group: String, now: EpochMillis) throws -> [PendingEntry] {
        _ = try lastDelivered(db, stream, group: group)
        return try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT ms, seq, consumer, delivered_at, delivery_count FROM pending
                WHERE stream = ? AND grp = ? ORDER BY ms, seq
                """),
            arguments: [stream, group]
        ).map { row in
            PendingEntry(
                id: EntryID(sqlMilliseconds: row["ms"], sequence: row["seq"]), consumer: row["consumer"],
                idle: max(.zero, now.duration(since: EpochMillis(row["delivered_at"]))),
                deliveryCount: row["delivery_count"]
            )
        }
    }

    /// Transfers up to `count` entries idle for at least `minIdle` to `consumer` and delivers them again.
    static func claim(
        _ db: Database, _ stream: String, group: String, consumer: String, minIdle: Duration, count: Int,
        now: EpochMillis
    ) throws -> [Delivery] {
        _ = try lastDelivered(db, stream, group: group)
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT p.ms, p.seq, p.delivery_count, e.fields FROM pending p
                LEFT JOIN entries e ON e.stream = p.stream AND e.ms = p.ms AND e.seq = p.seq
                WHERE p.stream = ? AND p.grp = ? AND p.delivered_at <= ? ORDER BY p.ms, p.seq LIMIT ?
                """),
            arguments: [stream, group, now.advanced(by: .zero - minIdle).rawValue, count]
        )
        return try claim(db, stream, group: group, consumer: consumer, rows: rows, now: now)
    }

    /// Transfers those of `ids` that are pending and idle for at least `minIdle` to `consumer`, in id order.
    static func claim(
        _ db: Database, _ stream: String, group: String, consumer: String, ids: [EntryID], minIdle: Duration, now: EpochMillis
    ) throws -> [Delivery] {
        _ = try lastDelivered(db, stream, group: group)
        var rows: [Row] = []
        for id in Set(ids).sorted() {
            if let row = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT p.ms, p.seq, p.delivery_count, e.fields FROM pending p
                    LEFT JOIN entries e ON e.stream = p.stream AND e.ms = p.ms AND e.seq = p.seq
                    WHERE p.stream = ? AND p.grp = ? AND p.ms = ? AND p.seq = ? AND p.delivered_at <= ?
                    """),
                arguments: [stream, group, id.sql.ms, id.sql.seq, now.advanced(by: .zero - minIdle).rawValue]
            ) { rows.append(row) }
        }
        return try claim(db, stream, group: group, consumer: consumer, rows: rows, now: now)
    }

    /// Moves the pending rows (`ms`, `seq`, `delivery_count`, `fields`) to `consumer` and delivers them again.
    private static func claim(_ db: Database, _ stream: String, group: String, consumer: String, rows: [Row], now: EpochMillis) throws -> [Delivery] {
        var claimed: [Delivery] = []
        for row in rows {
            let id = EntryID(sqlMilliseconds: row["ms"], sequence: row["seq"])
            let key: StatementArguments = [stream, group, id.sql.ms, id.sql.seq]
            guard let fields: String = row["fields"] else {
                // Cannot happen (pending entries are never trimmed); drop it like XAUTOCLAIM.
                try db.cachedStatement(sql: "DELETE FROM pending WHERE stream = ? AND grp = ? AND ms = ? AND seq = ?").execute(arguments: key)
                continue
            }
            try db.cachedStatement(sql: """
                    UPDATE pending SET consumer = ?, delivered_at = ?, delivery_count = delivery_count + 1
                    WHERE stream = ? AND grp = ? AND ms = ? AND seq = ?
                    """).execute(arguments: [consumer, now.rawValue] + key
            )
            let deliveries: Int = row["delivery_count"]
            claimed.append(Delivery(entry: StreamEntry(id: id, fields: try decode(fields)), deliveryCount: deliveries + 1))
        }
        return claimed
    }

    /// Acknowledges one pending entry and appends it, described, to `deadLetterStream`.
    static func deadLetter(
        _ db: Database, _ stream: String, group: String, id: EntryID, reason: String, deadLetterStream: String,
        now: EpochMillis
    ) throws -> DeadLetter {
        _ = try lastDelivered(db, stream, group: group)
        let key: StatementArguments = [stream, group, id.sql.ms, id.sql.seq]
        guard let deliveries = try Int.fetchOne(
            db.cachedStatement(sql: "SELECT delivery_count FROM pending WHERE stream = ? AND grp = ? AND ms = ? AND seq = ?"), arguments: key
        ) else { throw EventLogError(.notPending, "\(id) is not pending in group \(group) of \(stream)") }
        let original = try String.fetchOne(
            db.cachedStatement(sql: "SELECT fields FROM entries WHERE stream = ? AND ms = ? AND seq = ?"),
            arguments: [stream, id.sql.ms, id.sql.seq]
        ).map(decode) ?? [:]
        try db.cachedStatement(sql: "DELETE FROM pending WHERE stream = ? AND grp = ? AND ms = ? AND seq = ?").execute(arguments: key)
        let letter = DeadLetter(originalID: id, stream: stream, group: group, reason: reason, deliveryCount: deliveries)
        _ = try append(db, deadLetterStream, fields: letter.entryFields(original: original), maxLength: nil, now: now)
        return letter
    }

    /// Dead-letters every pending entry delivered at least `maxDeliveries` times.
    static func deadLetterExhausted(
        _ db: Database, _ stream: String, group: String, maxDeliveries: Int, deadLetterStream: String, now: EpochMillis
    ) throws -> [DeadLetter] {
        try pending(db, stream, group: group, now: now).filter { $0.deliveryCount >= maxDeliveries }.map { entry in
            try deadLetter(
                db, stream, group: group, id: entry.id,
                reason: "delivered \(entry.deliveryCount) times (max \(maxDeliveries))",
                deadLetterStream: deadLetterStream, now: now
            )
        }
    }
}
