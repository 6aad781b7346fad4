import NIOCore

/// The commands of one connection still waiting for replies, as a pure state machine.
///
/// Replies arrive in the order commands were written, so a FIFO queue matches them. The machine decides;
/// `RedisChannelHandler` acts (completes promises, cancels timers, closes the channel). Generic over the promise and
/// timer types so it holds no NIO objects it would need to drive itself.
struct RedisCommandQueue<Promise, Timer> {
    private struct Entry {
        var id: UInt64
        /// Nil once the caller gave up (timed out): the reply is still read, then dropped.
        var promise: Promise?
        var timer: Timer?
    }

    private enum State {
        case open
        case closed(RedisError)
    }

    private var entries = CircularBuffer<Entry>()
    private var state = State.open
    private var nextID: UInt64 = 0

    /// How many commands wait for a reply.
    var count: Int { entries.count }

    enum EnqueueAction {
        /// Write the command; arm a timer for `id` if it has a timeout.
        case write(id: UInt64)
        /// The connection is closed: fail the promise with this error.
        case fail(RedisError)
    }

    /// A command is about to be written, its reply to complete `promise`.
    mutating func enqueue(_ promise: Promise) -> EnqueueAction {
        if case .closed(let error) = state { return .fail(error) }
        nextID += 1
        entries.append(Entry(id: nextID, promise: promise))
        return .write(id: nextID)
    }

    /// Attaches the timeout timer of the command just enqueued, so an answer can cancel it.
    mutating func attach(_ timer: Timer, to id: UInt64) {
        guard let last = entries.indices.last, entries[last].id == id else { return }
        entries[last].timer = timer
    }

    enum ReplyAction {
        case succeed(Promise, RESPValue, Timer?)
        case fail(Promise, RedisError, Timer?)
        /// The caller gave up on this reply; only cancel the timer, if any.
        case discard(Timer?)
        /// A reply nobody asked for: the stream is out of step, close the connection.
        case unexpected
    }

    /// A reply arrived: it answers the oldest waiting command.
    mutating func received(_ value: RESPValue) -> ReplyAction {
        guard let entry = entries.popFirst() else { return .unexpected }
        guard let promise = entry.promise else { return .discard(entry.timer) }
        if case .error(let message) = value { return .fail(promise, RedisError(serverReply: message), entry.timer) }
        return .succeed(promise, value, entry.timer)
    }

    /// The commands to fail and timers to cancel when the connection shuts down.
    struct Shutdown {
        var timedOut: Promise?
        var failed: [Promise] = []
        var timers: [Timer] = []
        var error: RedisError
    }

    /// The timer of command `id` fired: fail it with `.timeout` and close (nil if it was answered meanwhile).
    ///
    /// Later replies could still arrive, but a server that misses one deadline is treated as gone: the others fail
    /// with `.connectionClosed` rather than wait on a stream that may never resume.
    mutating func timedOut(_ id: UInt64) -> Shutdown? {
        guard case .open = state, let index = entries.firstIndex(where: { $0.id == id }) else { return nil }
        let promise = entries[index].promise
        entries[index].promise = nil
        entries[index].timer = nil
        var shutdown = close(RedisError(.connectionClosed, "closed after a command timed out"))
        shutdown.timedOut = promise
        return shutdown
    }

    /// The connection closed (or must close) with `error`: every waiting command fails with it.
    mutating func close(_ error: RedisError) -> Shutdown {
        if case .open = state { state = .closed(error) }
        var shutdown = Shutdown(error: error)
        for entry in entries {
            if let promise = entry.promise { shutdown.failed.append(promise) }
            if let timer = entry.timer { shutdown.timers.append(timer) }
        }
        entries.removeAll()
        return shutdown
    }
}
