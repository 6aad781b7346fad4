import NIOCore
import NIOPosix
import Synchronization

/// A pool of Redis connections, usable from any number of concurrent tasks.
///
/// Connects lazily, up to `poolSize` connections, each leased to one caller at a time. A connection that broke, timed
/// out or was abandoned by a cancelled caller is dropped and replaced on demand; after a failed connect, new connects
/// wait out an exponential backoff and callers arriving meanwhile fail at once with the last error. No background
/// tasks: every connect runs in the task of the caller that needs it. Call `shutdown()` when done.
public final class RedisClient: Sendable {
    /// How the pool connects.
    public let configuration: Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let state: Mutex<State>

    private typealias Machine = RedisPoolStateMachine<RedisConnection, CheckedContinuation<Ticket, any Error>>

    private struct State: ~Copyable {
        var machine: Machine
        var nextID = 0
    }

    /// What `lease` is told to do after asking the pool.
    private enum Ticket {
        case use(RedisConnection)
        case connect
        case retry
    }

    /// A pool; nothing connects until the first command.
    public init(configuration: Configuration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        state = Mutex(State(machine: Machine(capacity: configuration.poolSize, backoff: configuration.reconnectBackoff)))
    }

    /// Sends one command on a pooled connection and returns its reply; see `RedisConnection.send`.
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        try await withConnection { try await $0.send(command) }
    }

    /// Sends one command built from its name and arguments.
    public func send(_ name: String, _ arguments: RedisArgument...) async throws -> RESPValue {
        try await send(RedisCommand(name, arguments))
    }

    /// Sends `commands` pipelined on one pooled connection; see `RedisConnection.pipeline`.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
        try await withConnection { try await $0.pipeline(commands) }
    }

    /// Runs `body` with a connection leased to it alone, for `WATCH`/`MULTI`/`EXEC` or blocking reads.
    ///
    /// Leave the connection as you found it (no open `MULTI`, same database). If `body` throws anything but a server
    /// error reply, the connection is closed rather than reused, since it may be part way through something.
    public func withConnection<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (RedisConnection) async throws -> T
    ) async throws -> T {
        let connection = try await lease()
        let result: T
        do {
            result = try await body(connection)
        } catch {
            let serverError = (error as? RedisError).map { $0.code == .server } ?? false
            await release(connection, reusable: serverError && connection.isActive)
            throw error
        }
        await release(connection, reusable: connection.isActive)
        return result
    }

    /// Closes every connection and fails waiting callers with `.clientShutdown`; later calls fail the same way.
    ///
    /// Commands in flight on leased connections fail with `.connectionClosed`. The event loop group is not shut down.
    public func shutdown() async {
        let (connections, waiters) = state.withLock { $0.machine.shutdown() }
        for waiter in waiters { waiter.resume(throwing: RedisError(.clientShutdown, "the client was shut down")) }
        for connection in connections { await connection.close() }
    }

    private func lease() async throws -> RedisConnection {
        while true {
            let id = state.withLock { state in
                state.nextID += 1
                return state.nextID
            }
            let ticket = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Ticket, any Error>) in
                    // Checked under the lock the cancellation handler also takes, so no cancellation slips between.
                    let action = state.withLock { state -> Machine.LeaseAction? in
                        Task.isCancelled ? nil : state.machine.lease(id: id, waiter: continuation, now: .now)
                    }
                    switch action {
                    case nil: continuation.resume(throwing: CancellationError())
                    case .use(let connection): continuation.resume(returning: .use(connection))
                    case .connect: continuation.resume(returning: .connect)
                    case .fail(let error): continuation.resume(throwing: error)
                    case .wait: break
                    }
                }
            } onCancel: {
                state.withLock { $0.machine.cancel(id: id) }?.resume(throwing: CancellationError())
            }
            switch ticket {
            case .use(let connection):
                if connection.isActive { return connection }
                await release(connection, reusable: false)  // closed while idle (server restart, idle timeout)
            case .retry:
                continue
            case .connect:
                return try await connect()
            }
        }
    }

    private func connect() async throws -> RedisConnection {
        let connection: RedisConnection
        do {
            connection = try await RedisConnection.connect(configuration: configuration.connection, eventLoop: eventLoopGroup.next())
        } catch {
            let redisError = error as? RedisError ?? RedisError(.connectionFailed, "\(error)")
            let waiter = state.withLock { $0.machine.connectFailed(redisError, now: .now) }
            waiter?.resume(returning: .retry)
            throw redisError
        }
        guard state.withLock({ $0.machine.connected(connection) }) else {
            await connection.close()
            throw RedisError(.clientShutdown, "the client was shut down")
        }
        return connection
    }

    private func release(_ connection: RedisConnection, reusable: Bool) async {
        let action = state.withLock { $0.machine.release(connection, reusable: reusable) }
        if let (waiter, wakeup) = action.wake {
            switch wakeup {
            case .use(let next): waiter.resume(returning: .use(next))
            case .retry: waiter.resume(returning: .retry)
            }
        }
        if let closing = action.close { await closing.close() }
    }
}
