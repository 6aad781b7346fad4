import GRDB
import Synchronization

/// Checkpoints the WAL on a connection of its own, beside the writer, so that the commits rarely have to.
///
/// SQLite's automatic checkpoint runs in the commit that takes the WAL past 1 000 pages: that commit's writers wait
/// while the pages are copied into the database file, with its fsyncs. In the pipeline benchmark without an fsync per
/// commit (`process-crash`) that put 15–20 ms stalls at the p99 of intent → order. Here, after every `interval`
/// commits, one PASSIVE checkpoint runs on this connection's own queue: it copies what no reader still needs and never
/// blocks the writer or the readers. The writer's automatic checkpoint stays as the backstop that lets the WAL
/// restart from its beginning (a checkpoint beside a writer that never pauses cannot finish), and it then finds
/// little or nothing left to copy. One runs at a time; commits that come meanwhile count towards the next.
final class SQLiteCheckpointer: Sendable {
    private struct State {
        var commitsSince = 0
        var running = false
        var completed = 0
        var closed = false
    }

    private let connection: DatabaseQueue
    private let state = Mutex(State())
    /// Commits between two checkpoints.
    let interval: Int

    /// A checkpointing connection to the database at `path` (opened, in WAL mode, by the pool beside it); opening waits
    /// up to `busyTimeout` for another process's write, as the pool's connections do.
    init(path: String, interval: Int = 64, busyTimeout: Duration = .seconds(5)) throws {
        var configuration = Configuration()
        configuration.label = "quantum.checkpoint"
        configuration.busyMode = .timeout(Double(busyTimeout.wholeMilliseconds) / 1_000)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = max(1, interval)
    }

    /// Checkpoints run so far (for tests and benchmarks).
    var checkpointsRun: Int { state.withLock(\.completed) }

    /// Notes one commit of the writer; starts a checkpoint when `interval` have passed and none is running.
    func committed() {
        let start = state.withLock { state -> Bool in
            state.commitsSince += 1
            guard !state.closed, !state.running, state.commitsSince >= interval else { return false }
            state.commitsSince = 0
            state.running = true
            return true
        }
        guard start else { return }
        connection.asyncWriteWithoutTransaction { db in
            // A checkpoint that cannot finish (busy, a reader on old pages) is simply tried again after the next interval:
            // the WAL only grows meanwhile, nothing is lost.
            _ = try? db.checkpoint(.passive)
            self.state.withLock {
                $0.running = false
                $0.completed += 1
            }
        }
    }

    /// Closes the connection once a running checkpoint is over; later commits start none.
    func close() throws {
        state.withLock { $0.closed = true }
        try connection.close()
    }
}
