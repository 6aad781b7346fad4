import Testing

@testable import QuantumRedis

/// The pool and command-queue state machines, driven directly: no sockets, no clocks but the ones passed in.
@Suite("Redis state machines", .timeLimit(.minutes(3)))
struct RedisStateMachineTests {
    final class Connection {}

    @Test("the pool opens lazily up to capacity, queues the rest, and hands released connections over in order")
    func poolCapacity() {
        var pool = RedisPoolStateMachine<Connection, String>(capacity: 2, backoff: .init())
        let now = ContinuousClock.now
        guard case .connect = pool.lease(id: 1, waiter: "a", now: now), case .connect = pool.lease(id: 2, waiter: "b", now: now) else {
            Issue.record("expected two connects")
            return
        }
        let first = Connection(), second = Connection()
        let bothConnected = pool.connected(first) && pool.connected(second)
        #expect(bothConnected)
        guard case .wait = pool.lease(id: 3, waiter: "c", now: now), case .wait = pool.lease(id: 4, waiter: "d", now: now) else {
            Issue.record("expected waits at capacity")
            return
        }
        #expect(pool.cancel(id: 3) == "c")
        #expect(pool.cancel(id: 3) == nil)
        let handOver = pool.release(first, reusable: true)
        #expect(handOver.close == nil)
        guard case ("d", .use(let given))? = handOver.wake else {
            Issue.record("expected d to get the connection")
            return
        }
        #expect(given === first)
        // A broken connection is closed, and frees a slot: the next caller connects anew.
        let broken = pool.release(second, reusable: false)
        #expect(broken.close === second && broken.wake == nil)
        guard case .connect = pool.lease(id: 5, waiter: "e", now: now) else {
            Issue.record("expected a connect into the freed slot")
            return
        }
        #expect(pool.size == 2)
    }

    @Test("after a failed connect the pool fails fast until the backoff passes, growing the backoff")
    func poolBackoff() {
        let backoff = RedisBackoff(initial: .milliseconds(100), maximum: .milliseconds(300), multiplier: 2)
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(100))
        #expect(backoff.delay(afterFailures: 2) == .milliseconds(200))
        #expect(backoff.delay(afterFailures: 9) == .milliseconds(300))
        var pool = RedisPoolStateMachine<Connection, String>(capacity: 1, backoff: backoff)
        let start = ContinuousClock.now
        guard case .connect = pool.lease(id: 1, waiter: "a", now: start) else { Issue.record("unexpected action"); return }
        #expect(pool.connectFailed(RedisError(.connectionFailed, "refused"), now: start) == nil)
        guard case .fail(let error) = pool.lease(id: 2, waiter: "b", now: start + .milliseconds(99)) else { Issue.record("unexpected action"); return }
        #expect(error.code == .connectionFailed && error.message.hasPrefix("refused"))
        guard case .connect = pool.lease(id: 3, waiter: "c", now: start + .milliseconds(100)) else { Issue.record("unexpected action"); return }
        _ = pool.connectFailed(RedisError(.connectionFailed, "refused"), now: start + .milliseconds(100))
        guard case .fail = pool.lease(id: 4, waiter: "d", now: start + .milliseconds(299)) else { Issue.record("unexpected action"); return }
        guard case .connect = pool.lease(id: 5, waiter: "e", now: start + .milliseconds(300)) else { Issue.record("unexpected action"); return }
        let connected = pool.connected(Connection())
        #expect(connected)
    }

    @Test("shutdown closes every connection, fails waiters, and refuses later leases")
    func poolShutdown() {
        var pool = RedisPoolStateMachine<Connection, String>(capacity: 1, backoff: .init())
        let now = ContinuousClock.now
        _ = pool.lease(id: 1, waiter: "a", now: now)
        let connection = Connection()
        let connected = pool.connected(connection)
        #expect(connected)
        _ = pool.lease(id: 2, waiter: "b", now: now)
        let (close, fail) = pool.shutdown()
        #expect(close.count == 1 && close[0] === connection && fail == ["b"])
        #expect(pool.release(connection, reusable: true).close === connection)
        guard case .fail(let error) = pool.lease(id: 3, waiter: "c", now: now) else { Issue.record("unexpected action"); return }
        #expect(error.code == .clientShutdown)
        let connectedAfterShutdown = pool.connected(Connection())
        #expect(!connectedAfterShutdown)
    }

    @Test("the command queue answers in FIFO order, turns error replies into errors, and closes on timeout")
    func commandQueue() {
        var queue = RedisCommandQueue<String, Int>()
        guard case .write(let first) = queue.enqueue("first"), case .write(let second) = queue.enqueue("second"),
            case .write(let third) = queue.enqueue("third")
        else { Issue.record("unexpected action"); return }
        queue.attach(30, to: third)
        queue.attach(99, to: first)  // not the latest: ignored
        guard case .succeed("first", .integer(1), nil) = queue.received(.integer(1)) else { Issue.record("unexpected action"); return }
        guard case .fail("second", let error, nil) = queue.received(.error("WRONGPASS invalid")) else { Issue.record("unexpected action"); return }
        #expect(error.code == .authentication)
        #expect(queue.timedOut(second) == nil)  // already answered
        let shutdown = queue.timedOut(third)
        #expect(shutdown?.timedOut == "third" && shutdown?.failed == [] && shutdown?.timers == [])
        guard case .fail(let closed) = queue.enqueue("late") else { Issue.record("unexpected action"); return }
        #expect(closed.code == .connectionClosed)
        guard case .unexpected = queue.received(.simpleString("OK")) else { Issue.record("unexpected action"); return }
    }

    @Test("closing fails every waiting command and returns their timers")
    func commandQueueClose() {
        var queue = RedisCommandQueue<String, Int>()
        _ = queue.enqueue("a")
        if case .write(let id) = queue.enqueue("b") { queue.attach(7, to: id) }
        let shutdown = queue.close(RedisError(.connectionClosed))
        #expect(shutdown.failed == ["a", "b"] && shutdown.timers == [7] && queue.count == 0)
    }
}
