import GRDB
import QuantumCore

/// One SQLite file holding event log streams and state keys, shared by `SQLiteEventLog` and `SQLiteStateStore`.
///
/// Opened as a GRDB `DatabasePool` in WAL mode with `synchronous=FULL`, so a write that has
/// returned is on disk and survives a crash of the process (or of the machine). Concurrent writes
/// are group-committed: one transaction and one fsync for all that arrive while the last is on disk. Several processes
/// may open the same file; writers wait up to `busyTimeout` for each other. Appends made through
/// this instance wake `readNew` waiters immediately; appends from other instances or processes are
/// picked up by polling.
public final class SQLiteDatabase: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool
    let notifier = AppendNotifier()
    /// Every write goes through it: concurrent writes share one commit and one fsync.
    let commits: SQLiteGroupCommit

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, busyTimeout: Duration = .seconds(5)) throws(SQLiteDatabaseError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(Double(busyTimeout.wholeMilliseconds) / 1_000)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SQLiteDatabaseError(.openFailed, "cannot open \(path): \(error)")
        }
        commits = SQLiteGroupCommit(pool: pool)
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw SQLiteDatabaseError(.migrationFailed, "cannot migrate \(path): \(error)")
        }
    }

    /// The most writes one commit has held since the database was opened.
    public var largestGroupCommit: Int { commits.largestBatchSeen }

    /// Closes the database; later calls through it fail with `.backendFailure`.
    public func close() throws(SQLiteDatabaseError) {
        do {
            try pool.close()
        } catch {
            throw SQLiteDatabaseError(.closeFailed, "cannot close \(path): \(error)")
        }
    }
}

/// Errors opening or closing a SQLite database.
public struct SQLiteDatabaseError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The file could not be opened (missing directory, permissions, not a database).
        case openFailed = "open_failed"
        /// The schema could not be brought up to date.
        case migrationFailed = "migration_failed"
        /// The database could not be closed (a connection is still in use).
        case closeFailed = "close_failed"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
