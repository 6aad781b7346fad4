import GRDB
import QuantumCore

/// State slots stored in the `kv` and `hash_fields` tables, inside a transaction the caller opened.
struct SQLiteSlots: StateSlots {
    let db: Database

    func slot(_ key: String) throws -> StateSlot? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT type, value, expires_at FROM kv WHERE key = ?"), arguments: [key])
        else { return nil }
        let expiresAt = (row["expires_at"] as Int64?).map { EpochMillis($0) }
        let type: String = row["type"]
        if type == "hash" {
            let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT field, value FROM hash_fields WHERE key = ?"), arguments: [key])
            let fields = Dictionary(rows.map { ($0["field"] as String, $0["value"] as String) }) { _, last in last }
            return StateSlot(value: .hash(fields), expiresAt: expiresAt)
        }
        guard let value: String = row["value"] else {
            throw StateStoreError(.backendFailure, "string key \(key) has no value")
        }
        return StateSlot(value: .string(value), expiresAt: expiresAt)
    }

    func store(_ key: String, _ slot: StateSlot?) throws {
        try db.cachedStatement(sql: "DELETE FROM hash_fields WHERE key = ?").execute(arguments: [key])
        guard let slot else {
            try db.cachedStatement(sql: "DELETE FROM kv WHERE key = ?").execute(arguments: [key])
            return
        }
        let expiresAt = slot.expiresAt?.rawValue
        switch slot.value {
        case let .string(value):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO kv (key, type, value, expires_at) VALUES (?, 'string', ?, ?)").execute(arguments: [key, value, expiresAt]
            )
        case let .hash(fields):
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO kv (key, type, value, expires_at) VALUES (?, 'hash', NULL, ?)").execute(arguments: [key, expiresAt]
            )
            for (field, value) in fields {
                try db.cachedStatement(sql: "INSERT INTO hash_fields (key, field, value) VALUES (?, ?, ?)").execute(arguments: [key, field, value]
                )
            }
        }
    }

    /// Live keys starting with `prefix`, in byte order.
    func keys(prefix: String, now: EpochMillis) throws -> [String] {
        let cursor = try String.fetchCursor(
            db.cachedStatement(sql: "SELECT key FROM kv WHERE key >= ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key"),
            arguments: [prefix, now.rawValue]
        )
        var keys: [String] = []
        while let key = try cursor.next(), key.utf8.starts(with: prefix.utf8) { keys.append(key) }
        return keys
    }

    /// Deletes every key expired at `now`; returns how many.
    func purgeExpired(now: EpochMillis) throws -> Int {
        try db.cachedStatement(sql: "DELETE FROM hash_fields WHERE key IN (SELECT key FROM kv WHERE expires_at <= ?)").execute(arguments: [now.rawValue]
        )
        try db.cachedStatement(sql: "DELETE FROM kv WHERE expires_at <= ?").execute(arguments: [now.rawValue])
        return db.changesCount
    }
}
