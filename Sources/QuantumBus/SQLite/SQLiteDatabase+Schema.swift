import GRDB
import QuantumCore

/// The schema, and the error wrapping every backend call goes through.
extension SQLiteDatabase {
    /// Migrations of the bus schema, applied in order on open.
    ///
    /// Entry ids are stored as `(ms, seq)` integer pairs so that SQLite orders and compares them
    /// as row values; stream fields are a JSON object. `streams` keeps the last id ever assigned
    /// (trimming does not reset ids) and the entry count (so trimming needs no `COUNT(*)`).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE streams (
                    name TEXT PRIMARY KEY, last_ms INTEGER NOT NULL, last_seq INTEGER NOT NULL,
                    length INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE entries (
                    stream TEXT NOT NULL, ms INTEGER NOT NULL, seq INTEGER NOT NULL, fields TEXT NOT NULL,
                    PRIMARY KEY (stream, ms, seq)
                ) WITHOUT ROWID;
                CREATE TABLE groups (
                    stream TEXT NOT NULL, name TEXT NOT NULL,
                    last_delivered_ms INTEGER NOT NULL, last_delivered_seq INTEGER NOT NULL,
                    PRIMARY KEY (stream, name)
                ) WITHOUT ROWID;
                CREATE TABLE pending (
                    stream TEXT NOT NULL, grp TEXT NOT NULL, ms INTEGER NOT NULL, seq INTEGER NOT NULL,
                    consumer TEXT NOT NULL, delivered_at INTEGER NOT NULL, delivery_count INTEGER NOT NULL,
                    PRIMARY KEY (stream, grp, ms, seq)
                ) WITHOUT ROWID;
                CREATE INDEX pending_by_entry ON pending (stream, ms, seq);
                CREATE TABLE kv (
                    key TEXT PRIMARY KEY, type TEXT NOT NULL CHECK (type IN ('string', 'hash')),
                    value TEXT, expires_at INTEGER
                ) WITHOUT ROWID;
                CREATE INDEX kv_by_expiry ON kv (expires_at) WHERE expires_at IS NOT NULL;
                CREATE TABLE hash_fields (
                    key TEXT NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
                    PRIMARY KEY (key, field)
                ) WITHOUT ROWID;
                """)
        }
        return migrator
    }

    /// Runs `body` all-or-nothing in the next group commit and returns once it is committed as durably as asked (on
    /// disk by default); errors other than `E` become `.backendFailure` via `wrap`.
    func write<T: Sendable, E: Error>(
        _ durability: SQLiteGroupCommit.Durability = .full, _ body: @escaping @Sendable (Database) throws -> T, wrap: (String) -> E
    ) async throws -> T {
        try await guarded(as: E.self, wrap) { try await commits.write(durability, body) }
    }

    /// Runs `body` on a read snapshot; errors other than `E` become `.backendFailure` via `wrap`.
    func read<T: Sendable, E: Error>(
        _ body: @escaping @Sendable (Database) throws -> T, wrap: (String) -> E
    ) async throws -> T {
        try await guarded(as: E.self, wrap) { try await pool.read(body) }
    }

    /// Passes `E` and cancellation through and wraps every other error (GRDB's) with the file's path.
    private func guarded<T, E: Error>(as _: E.Type, _ wrap: (String) -> E, _ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as E {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw wrap("\(path): \(error)")
        }
    }
}

extension EntryID {
    /// The id as SQL integers (components beyond `Int64.max` clamp, which keeps order for real ids).
    var sql: (ms: Int64, seq: Int64) { (Int64(clamping: milliseconds), Int64(clamping: sequence)) }

    /// An id read back from SQL integers.
    init(sqlMilliseconds ms: Int64, sequence seq: Int64) {
        self.init(milliseconds: UInt64(clamping: ms), sequence: UInt64(clamping: seq))
    }
}
