import GRDB
import QuantumCore

/// One SQLite file holding event log streams and state keys, shared by `SQLiteEventLog` and `SQLiteStateStore`.
///
/// Opened as a GRDB `DatabasePool` in WAL mode with `synchronous=FULL`, so a write that has
/// returned is on disk and survives a crash of the process (or of the machine); `Durability.processCrash` drops the
/// fsync where only a crash of the process matters. Concurrent writes
/// are group-committed: one transaction and one fsync for all that arrive while the last is on disk. Several processes
/// may open the same file; writers wait up to `busyTimeout` for each other. Appends made through
/// this instance wake `readNew` waiters immediately; appends from other instances or processes are
/// picked up by polling.
public final class SQLiteDatabase: Sendable {
    /// What a write that has returned survives.
    public enum Durability: String, Sendable, CaseIterable {
        /// A power cut or kernel crash as well as a crash of the process: each commit is fsynced before its writers
        /// return (`synchronous=FULL`). The default, and what a system trading on a real venue needs.
        case powerCut = "power-cut"
        /// A crash of the process (SIGKILL, OOM, panic) only: commits reach the WAL without an fsync
        /// (`synchronous=NORMAL`), so a power cut may lose the last ones. Enough where the venue cannot outlive the
        /// process either: the embedded paper exchange keeps its accounts in memory, so after a power cut there is no
        /// venue state the fsynced records could be reconciled with.
        case processCrash = "process-crash"
    }

    /// The database file.
    public let path: String
    /// What a write that has returned survives.
    public let durability: Durability
    let pool: DatabasePool
    let notifier = AppendNotifier()
    /// Every write goes through it: concurrent writes share one commit and one fsync.
    let commits: SQLiteGroupCommit
    /// Checkpoints the WAL on a connection of its own.
    let checkpointer: SQLiteCheckpointer

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String, durability: Durability = .powerCut, busyTimeout: Duration = .seconds(5)) throws(SQLiteDatabaseError) {
        self.path = path
        self.durability = durability
        var configuration = Configuration()
        configuration.busyMode = .timeout(Double(busyTimeout.wholeMilliseconds) / 1_000)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            checkpointer = try SQLiteCheckpointer(path: path, busyTimeout: busyTimeout)
        } catch {
            throw SQLiteDatabaseError(.openFailed, "cannot open \(path): \(error)")
        }
        commits = SQLiteGroupCommit(pool: pool, fsyncs: durability == .powerCut, checkpointer: checkpointer)
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw SQLiteDatabaseError(.migrationFailed, "cannot migrate \(path): \(error)")
        }
    }

    /// The most writes one commit has held since the database was opened.
    public var largestGroupCommit: Int { commits.largestBatchSeen }

    /// WAL checkpoints run beside the writer since the database was opened.
    public var checkpointsRun: Int { checkpointer.checkpointsRun }

    /// Closes the database; later calls through it fail with `.backendFailure`.
    public func close() throws(SQLiteDatabaseError) {
        do {
            try checkpointer.close()
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
