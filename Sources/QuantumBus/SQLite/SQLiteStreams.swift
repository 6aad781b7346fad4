import Foundation
import GRDB
import QuantumCore

/// The SQL of the event log: each function runs inside a transaction the caller opened.
enum SQLiteStreams {
    /// Encodes stream fields as a JSON object (keys sorted, so equal fields give equal text).
    static func encode(_ fields: [String: String]) throws -> String {
        FieldsJSON.encode(fields)
    }

    /// Decodes stream fields written by `encode`.
    static func decode(_ text: String) throws -> [String: String] {
        guard let fields = FieldsJSON.decode(text) else {
            throw EventLogError(.backendFailure, "corrupt entry fields: not a JSON object of strings: \(text.prefix(200))")
        }
        return fields
    }

    /// A stream entry from a row with `ms`, `seq` and `fields` columns.
    static func entry(_ row: Row) throws -> StreamEntry {
        StreamEntry(id: EntryID(sqlMilliseconds: row["ms"], sequence: row["seq"]), fields: try decode(row["fields"]))
    }

    /// Appends an entry stamped `now`, trimming to `maxLength` without outrunning any group.
    static func append(
        _ db: Database, _ stream: String, fields: [String: String], maxLength: Int?, now: EpochMillis
    ) throws -> EntryID {
        let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_ms, last_seq, length FROM streams WHERE name = ?"), arguments: [stream])
        let last = row.map { EntryID(sqlMilliseconds: $0["last_ms"], sequence: $0["last_seq"]) } ?? .zero
        var length: Int = row?["length"] ?? 0
        let id = EntryID.next(after: last, atMilliseconds: now.rawValue)
        try db.cachedStatement(sql: "INSERT INTO entries (stream, ms, seq, fields) VALUES (?, ?, ?, ?)").execute(arguments: [stream, id.sql.ms, id.sql.seq, encode(fields)]
        )
        length += 1
        if let maxLength, length > maxLength { length -= try trim(db, stream, excess: length - maxLength) }
        try db.cachedStatement(sql: """
                INSERT INTO streams (name, last_ms, last_seq, length) VALUES (?, ?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET
                    last_ms = excluded.last_ms, last_seq = excluded.last_seq, length = excluded.length
                """).execute(arguments: [stream, id.sql.ms, id.sql.seq, length]
        )
        return id
    }

    /// Deletes up to `excess` of the oldest entries every group has been delivered and none has pending.
    static func trim(_ db: Database, _ stream: String, excess: Int) throws -> Int {
        let floor = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT last_delivered_ms AS ms, last_delivered_seq AS seq FROM groups WHERE stream = ?
                ORDER BY last_delivered_ms, last_delivered_seq LIMIT 1
                """),
            arguments: [stream]
        ).map { EntryID(sqlMilliseconds: $0["ms"], sequence: $0["seq"]) } ?? .max
        try db.cachedStatement(sql: """
                DELETE FROM entries WHERE stream = :stream AND (ms, seq) IN (
                    SELECT e.ms, e.seq FROM entries e
                    WHERE e.stream = :stream AND (e.ms, e.seq) <= (:floorMs, :floorSeq)
                    AND NOT EXISTS (
                        SELECT 1 FROM pending p WHERE p.stream = e.stream AND p.ms = e.ms AND p.seq = e.seq
                    )
                    ORDER BY e.ms, e.seq LIMIT :excess
                )
                """).execute(arguments: ["stream": stream, "floorMs": floor.sql.ms, "floorSeq": floor.sql.seq, "excess": excess]
        )
        return db.changesCount
    }

    /// Creates a group unless it exists (creating the stream too).
    static func createGroup(_ db: Database, _ stream: String, group: String, start: GroupStart) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO streams (name, last_ms, last_seq, length) VALUES (?, 0, 0, 0)").execute(arguments: [stream]
        )
        let tail = try Row.fetchOne(db.cachedStatement(sql: "SELECT last_ms, last_seq FROM streams WHERE name = ?"), arguments: [stream])
            .map { EntryID(sqlMilliseconds: $0["last_ms"], sequence: $0["last_seq"]) } ?? .zero
        let last: EntryID = switch start {
        case .tail: tail
        case .beginning: .zero
        case let .after(id): id
        }
        try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO groups (stream, name, last_delivered_ms, last_delivered_seq)
                VALUES (?, ?, ?, ?)
                """).execute(arguments: [stream, group, last.sql.ms, last.sql.seq]
        )
    }

    /// The groups of a stream, by name, with lag and pending counts.
    static func groups(_ db: Database, _ stream: String) throws -> [GroupInfo] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT g.name, g.last_delivered_ms AS ms, g.last_delivered_seq AS seq,
                    (SELECT COUNT(*) FROM entries e WHERE e.stream = g.stream
                        AND (e.ms, e.seq) > (g.last_delivered_ms, g.last_delivered_seq)) AS lag,
                    (SELECT COUNT(*) FROM pending p WHERE p.stream = g.stream AND p.grp = g.name) AS pending
                FROM groups g WHERE g.stream = ? ORDER BY g.name
                """),
            arguments: [stream]
        ).map { row in
            GroupInfo(
                name: row["name"], lag: row["lag"], pending: row["pending"],
                lastDeliveredID: EntryID(sqlMilliseconds: row["ms"], sequence: row["seq"])
            )
        }
    }

    /// Number of entries in a stream.
    static func length(_ db: Database, _ stream: String) throws -> Int {
        try Int.fetchOne(db.cachedStatement(sql: "SELECT length FROM streams WHERE name = ?"), arguments: [stream]) ?? 0
    }

    /// Entries between `low` and `high` inclusive, oldest first (or newest first when `reversed`).
    static func range(
        _ db: Database, _ stream: String, low: EntryID, high: EntryID, count: Int, reversed: Bool
    ) throws -> [StreamEntry] {
        let order = reversed ? "ms DESC, seq DESC" : "ms, seq"
        return try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT ms, seq, fields FROM entries
                WHERE stream = ? AND (ms, seq) >= (?, ?) AND (ms, seq) <= (?, ?)
                ORDER BY \(order) LIMIT ?
                """),
            arguments: [stream, low.sql.ms, low.sql.seq, high.sql.ms, high.sql.seq, count]
        ).map(entry)
    }
}
