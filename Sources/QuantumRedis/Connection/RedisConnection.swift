import NIOCore
import NIOPosix
import NIOSSL

/// One connection to a Redis server: commands are pipelined and their replies matched in order.
///
/// Safe to share between tasks: concurrent `send`s pipeline on the one socket. A server error reply is thrown
/// as `RedisError` with code `.server`. A command that gets no reply within the command timeout throws
/// `.timeout` and closes the connection; when the connection closes, every waiting command throws
/// `.connectionClosed`. Cancelling a waiting task closes the connection too (its reply could block the ones behind).
public final class RedisConnection: Sendable {
    /// How this connection was opened.
    public let configuration: Configuration
    private let channel: any Channel

    private init(channel: any Channel, configuration: Configuration) {
        self.channel = channel
        self.configuration = configuration
    }

    /// Opens a connection, logs in (`HELLO`/`AUTH`, `CLIENT SETNAME`, `SELECT`, else `PING`) and returns it ready.
    ///
    /// Throws `.connectionFailed` when the server cannot be reached, `.authentication` when it refuses the
    /// credentials and `.server` for other refusals (a bad database index).
    public static func connect(
        configuration: Configuration,
        eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()
    ) async throws -> RedisConnection {
        let target = "\(configuration.host):\(configuration.port)"
        let channel: any Channel
        do {
            let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
            let serverName = configuration.tlsServerName ?? (Self.isIPAddress(configuration.host) ? nil : configuration.host)
            let decoder = configuration.decoder
            let timeout = configuration.commandTimeout
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        if let sslContext {
                            try sync.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                        }
                        try sync.addHandler(ByteToMessageHandler(RESPDecoder(configuration: decoder)))
                        try sync.addHandler(RedisChannelHandler(commandTimeout: timeout))
                    }
                }
                .connect(host: configuration.host, port: configuration.port)
                .get()
        } catch {
            throw RedisError(.connectionFailed, "could not connect to \(target): \(error)")
        }
        let connection = RedisConnection(channel: channel, configuration: configuration)
        do {
            try await connection.logIn()
        } catch {
            await connection.close()
            guard var redisError = error as? RedisError else { throw error }
            switch redisError.code {
            case .authentication, .server: break
            default: redisError = RedisError(.connectionFailed, "setting up \(target) failed: \(redisError)")
            }
            throw redisError
        }
        return connection
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Completes when the connection has closed, for whatever reason.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Sends one command and returns its reply; a server error reply is thrown as `.server`.
    public func send(_ command: RedisCommand) async throws -> RESPValue {
        try await pipeline([command])[0].get()
    }

    /// Sends one command built from its name and arguments.
    public func send(_ name: String, _ arguments: RedisArgument...) async throws -> RESPValue {
        try await send(RedisCommand(name, arguments))
    }

    /// Sends `commands` in one write and returns each reply in order, server errors as failures.
    ///
    /// When the connection breaks part way, the unanswered commands fail with `.connectionClosed`; the answered
    /// ones keep their replies. Throws only `CancellationError`.
    public func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>] {
        guard !commands.isEmpty else { return [] }
        let eventLoop = channel.eventLoop
        let promises = commands.map { _ in eventLoop.makePromise(of: RESPValue.self) }
        let results = await withTaskCancellationHandler {
            // With the handler gone (the channel closed), a write fails before reaching it: fail the replies here.
            channel.writeAndFlush(RedisRequest(commands: commands, promises: promises)).whenFailure { error in
                let reason = RedisError(.connectionClosed, "write failed: \(error)")
                for promise in promises { promise.fail(reason) }
            }
            var results: [Result<RESPValue, RedisError>] = []
            results.reserveCapacity(commands.count)
            for promise in promises {
                do {
                    results.append(.success(try await promise.futureResult.get()))
                } catch {
                    results.append(.failure(error as? RedisError ?? RedisError(.connectionClosed, "\(error)")))
                }
            }
            return results
        } onCancel: {
            channel.close(promise: nil)
        }
        // A cancelled caller closed the connection: report the cancellation rather than the closure it caused.
        if Task.isCancelled, results.contains(where: { $0.errorCode == .connectionClosed }) {
            throw CancellationError()
        }
        return results
    }

    /// Closes the connection; waiting commands fail with `.connectionClosed`.
    public func close() async {
        channel.close(promise: nil)
        try? await channel.closeFuture.get()
    }

    /// Runs the handshake commands; an error reply to `AUTH` or `HELLO` becomes `.authentication`.
    ///
    /// With nothing to set up it sends `PING`, so a connection is returned only once the server (and TLS) answered.
    private func logIn() async throws {
        let handshake = configuration.handshake
        // Logging in is part of connecting: it may take the connect timeout on top of the command timeout (a loaded
        // machine can hold the first reply longer than a short command timeout allows).
        let commands = (handshake.isEmpty ? [RedisCommand("PING")] : handshake).map { command in
            var command = command
            command.blockingFor = configuration.connectTimeout
            return command
        }
        let results = try await pipeline(commands)
        for (command, result) in zip(commands, results) {
            guard case .failure(var error) = result else { continue }
            if error.code == .server, command.name == "AUTH" || command.name == "HELLO" && configuration.password != nil {
                error.code = .authentication
            }
            throw error
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}

extension Result where Failure == RedisError {
    /// The error's code, nil for a success.
    var errorCode: RedisError.Code? {
        if case .failure(let error) = self { return error.code }
        return nil
    }
}
