import GRDB
import Synchronization

/// Group commit: the writes that arrive while a commit is on disk go in the next commit together, one transaction and
/// one fsync for all of them.
///
/// Each write still runs all-or-nothing (its own savepoint inside the shared transaction) and still returns only
/// once the transaction that holds it is committed with `synchronous=FULL`, so "journaled before sent" and "result and
/// position in one commit" hold exactly as with one transaction per write. What changes is the cost: under load a
/// single fsync covers every concurrent writer instead of one each, which is where the time of a durable write goes.
/// The batch is run on GRDB's writer queue through its callback API, so a writer's cancellation cannot interrupt a
/// transaction that also holds other writers' work.
///
/// A write is `.full` (on disk when it returns) or `.relaxed`: a consumer group's delivery and acknowledgement
/// bookkeeping, whose loss in a power cut only means an entry is delivered again, exactly as after a process crash
/// between handling and acknowledging it, which every consumer already survives. A batch of relaxed writes commits
/// with `synchronous=NORMAL` (no fsync; still safe against a process crash in WAL mode); a batch with any full write
/// commits with `synchronous=FULL`. The WAL is one sequence, so a full commit also makes every relaxed one before it
/// durable: what a power cut can take is only a suffix of relaxed bookkeeping.
final class SQLiteGroupCommit: Sendable {
    /// How durable a write must be when it returns.
    enum Durability: Sendable {
        /// On disk: survives a power cut.
        case full
        /// Survives a process crash; a power cut may lose it (and only it, with the relaxed writes after it).
        case relaxed
    }

    /// One write waiting for the next commit.
    private struct Pending: Sendable {
        let durability: Durability
        let body: @Sendable (Database) throws -> any Sendable
        let continuation: CheckedContinuation<Result<any Sendable, any Error>, Never>
    }

    private struct State {
        var queue: [Pending] = []
        var committing = false
        var largestBatch = 0
        /// The `synchronous` setting of the writer connection, nil until this sets it: GRDB's pool sets NORMAL on the
        /// writer after the configuration's own set-up (its WAL set-up), so what the database was opened with does not
        /// hold. (Trusting it, the writes before the first relaxed one were committed without an fsync.)
        var synchronousFull: Bool?
    }

    private let pool: DatabasePool
    private let state: Mutex<State>
    /// Whether a `.full` write is fsynced; without, every write is committed as `.relaxed` (`SQLiteDatabase.Durability`).
    private let fsyncs: Bool

    /// Told of every commit, to checkpoint the WAL beside the writer.
    private let checkpointer: SQLiteCheckpointer?

    init(pool: DatabasePool, fsyncs: Bool = true, checkpointer: SQLiteCheckpointer? = nil) {
        self.pool = pool
        self.fsyncs = fsyncs
        self.checkpointer = checkpointer
        state = Mutex(State())
    }

    /// The most writes one commit has held so far (for benchmarks and tests).
    var largestBatchSeen: Int { state.withLock(\.largestBatch) }

    /// Runs `body` in the next commit and returns its value once that commit is durable, or its own error (its
    /// changes rolled back, the other writes of the batch unaffected), or the commit's error; `CancellationError`
    /// without writing when the task is already cancelled.
    func write<T: Sendable>(_ durability: Durability, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        // A cancelled task starts no write (as GRDB's own async writes); one already queued is carried out.
        try Task.checkCancellation()
        let result = await withCheckedContinuation { continuation in
            let start = state.withLock { state -> [Pending]? in
                state.queue.append(Pending(durability: durability, body: { try body($0) }, continuation: continuation))
                return state.committing ? nil : Self.takeBatch(&state)
            }
            if let start { commit(start) }
        }
        // The value was produced by `body`, so it is a `T`.
        return try result.get() as! T
    }

    private static func takeBatch(_ state: inout State) -> [Pending] {
        let batch = state.queue
        state.queue = []
        state.committing = true
        state.largestBatch = max(state.largestBatch, batch.count)
        return batch
    }

    /// Commits `batch`, answers its writers, then starts the next batch if writes arrived meanwhile.
    private func commit(_ batch: [Pending]) {
        let full = fsyncs && batch.contains { $0.durability == .full }
        pool.asyncWriteWithoutTransaction { db in
            let outcome = Result { () throws -> [Result<any Sendable, any Error>] in
                // The connection's setting changes only here, on the writer's queue, and is noted once it took.
                if self.state.withLock({ $0.synchronousFull }) != full {
                    try db.execute(sql: full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
                    self.state.withLock { $0.synchronousFull = full }
                }
                var results: [Result<any Sendable, any Error>] = []
                try db.inTransaction {
                    results = try Self.run(batch, db)
                    return .commit
                }
                return results
            }
            switch outcome {
            case .success(let results):
                self.checkpointer?.committed()
                for (pending, result) in zip(batch, results) { pending.continuation.resume(returning: result) }
            case .failure(let error):
                // Nothing of the batch is on disk.
                for pending in batch { pending.continuation.resume(returning: .failure(error)) }
            }
            let next = self.state.withLock { state -> [Pending]? in
                if state.queue.isEmpty {
                    state.committing = false
                    return nil
                }
                return Self.takeBatch(&state)
            }
            if let next { self.commit(next) }
        }
    }

    /// Runs each write of a batch all-or-nothing; a lone write's error rolls the whole transaction back.
    ///
    /// An error after which SQLite has rolled back the whole transaction by itself (a full disk, an I/O error) fails
    /// the batch: the writes before it are gone with it, and the ones after must not run outside a transaction.
    private static func run(_ batch: [Pending], _ db: Database) throws -> [Result<any Sendable, any Error>] {
        if batch.count == 1 { return [.success(try batch[0].body(db))] }
        var results: [Result<any Sendable, any Error>] = []
        results.reserveCapacity(batch.count)
        for pending in batch {
            do {
                var value: (any Sendable)?
                try db.inSavepoint {
                    value = try pending.body(db)
                    return .commit
                }
                results.append(.success(value!))
            } catch {
                guard db.isInsideTransaction else { throw error }
                results.append(.failure(error))
            }
        }
        return results
    }
}
