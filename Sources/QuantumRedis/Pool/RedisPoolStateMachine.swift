import NIOCore

/// The bookkeeping of a connection pool, as a pure state machine: it decides, `RedisClient` acts.
///
/// Connections are leased to one caller at a time (a blocking `XREADGROUP` or a `MULTI` must not be interleaved
/// with others' commands). It opens connections lazily up to `capacity`; callers beyond that wait in FIFO order.
/// After a failed connect it refuses new connects until the backoff has passed, failing those callers at once with
/// the last error instead of hammering a server that is down. Generic so it holds no live objects it must drive.
struct RedisPoolStateMachine<Connection: AnyObject, Waiter> {
    /// What a caller that asked for a connection should do.
    enum LeaseAction {
        /// Use this idle connection (check it is still open).
        case use(Connection)
        /// Open a new connection, then report `connected` or `connectFailed`.
        case connect
        /// Wait: the waiter is queued and will be handed a connection or told to retry.
        case wait
        /// Fail with this error (shut down, or backing off after a failed connect).
        case fail(RedisError)
    }

    /// What a queued waiter is woken with.
    enum Wakeup {
        /// A connection released by another caller, now leased to the waiter.
        case use(Connection)
        /// Capacity freed up: lease again.
        case retry
    }

    let capacity: Int
    let backoff: RedisBackoff
    private var idle: [Connection] = []
    private var all: [ObjectIdentifier: Connection] = [:]
    private var leased = 0
    private var connecting = 0
    private var waiters = CircularBuffer<(id: Int, waiter: Waiter)>()
    private var failures = 0
    private var retryAt: ContinuousClock.Instant?
    private var lastError: RedisError?
    private var isShutdown = false

    /// A pool of at most `capacity` connections.
    init(capacity: Int, backoff: RedisBackoff) {
        self.capacity = max(capacity, 1)
        self.backoff = backoff
    }

    /// Connections open or being opened.
    var size: Int { idle.count + leased + connecting }

    /// A caller wants a connection; `waiter` is kept if it must wait.
    mutating func lease(id: Int, waiter: Waiter, now: ContinuousClock.Instant) -> LeaseAction {
        if isShutdown { return .fail(RedisError(.clientShutdown, "the client was shut down")) }
        if let connection = idle.popLast() {
            leased += 1
            return .use(connection)
        }
        guard size < capacity else {
            waiters.append((id, waiter))
            return .wait
        }
        if let retryAt, now < retryAt, let lastError {
            return .fail(RedisError(lastError.code, "\(lastError.message) (reconnecting in \(retryAt - now))"))
        }
        connecting += 1
        return .connect
    }

    /// A waiting caller was cancelled: its waiter, if it was still queued.
    mutating func cancel(id: Int) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// A connect succeeded: false if the pool shut down meanwhile (close the connection, fail the caller).
    mutating func connected(_ connection: Connection) -> Bool {
        connecting -= 1
        failures = 0
        retryAt = nil
        lastError = nil
        if isShutdown { return false }
        leased += 1
        all[ObjectIdentifier(connection)] = connection
        return true
    }

    /// A connect failed: backs off, and returns a waiter to wake with `.retry` (it may take the freed slot).
    mutating func connectFailed(_ error: RedisError, now: ContinuousClock.Instant) -> Waiter? {
        connecting -= 1
        failures += 1
        retryAt = now + backoff.delay(afterFailures: failures)
        lastError = error
        return waiters.popFirst()?.waiter
    }

    /// What the client does after a release.
    struct ReleaseAction {
        /// A connection to close.
        var close: Connection?
        /// A waiter to wake, and with what.
        var wake: (waiter: Waiter, with: Wakeup)?
    }

    /// A caller is done with a connection; `reusable` is false when it broke or may hold unread replies.
    mutating func release(_ connection: Connection, reusable: Bool) -> ReleaseAction {
        leased -= 1
        guard reusable, !isShutdown else {
            all[ObjectIdentifier(connection)] = nil
            return ReleaseAction(close: connection, wake: waiters.popFirst().map { ($0.waiter, .retry) })
        }
        if let next = waiters.popFirst() {
            leased += 1
            return ReleaseAction(wake: (next.waiter, .use(connection)))
        }
        idle.append(connection)
        return ReleaseAction()
    }

    /// Shuts the pool: every connection to close (idle and leased) and every waiter to fail.
    mutating func shutdown() -> (close: [Connection], fail: [Waiter]) {
        isShutdown = true
        let connections = Array(all.values)
        let failed = waiters.map(\.waiter)
        all.removeAll()
        idle.removeAll()
        waiters.removeAll()
        return (connections, failed)
    }
}
