import NIOCore

/// Commands on their way to the server, each with the promise its reply completes.
struct RedisRequest: Sendable {
    var commands: [RedisCommand]
    var promises: [EventLoopPromise<RESPValue>]
}

/// Writes commands and matches decoded replies to them in FIFO order; enforces the per-command timeout.
///
/// Sits after the `RESPDecoder`'s `ByteToMessageHandler`; all state lives in a `RedisCommandQueue`.
final class RedisChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = RedisRequest
    typealias OutboundOut = ByteBuffer

    private typealias Queue = RedisCommandQueue<EventLoopPromise<RESPValue>, Scheduled<Void>>

    private var queue = Queue()
    private let encoder = RESPEncoder()
    private let commandTimeout: Duration?

    /// A handler failing commands that get no reply within `commandTimeout` (nil: wait forever).
    init(commandTimeout: Duration?) {
        self.commandTimeout = commandTimeout
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 64 * request.commands.count)
        for (command, reply) in zip(request.commands, request.promises) {
            switch queue.enqueue(reply) {
            case .fail(let error):
                reply.fail(error)
            case .write(let id):
                encoder.encode(command, into: &buffer)
                if let timeout = timeout(for: command) { armTimer(id: id, after: timeout, context: context) }
            }
        }
        guard buffer.readableBytes > 0 else {
            promise?.succeed(())
            return
        }
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        // RESP3 out-of-band pushes (client tracking, pub/sub) answer no command; this client subscribes to nothing.
        if case .push = value { return }
        switch queue.received(value) {
        case .succeed(let promise, let value, let timer):
            timer?.cancel()
            promise.succeed(value)
        case .fail(let promise, let error, let timer):
            timer?.cancel()
            promise.fail(error)
        case .discard(let timer):
            timer?.cancel()
        case .unexpected:
            shut(context: context, queue.close(RedisError(.protocolViolation, "reply with no command waiting: \(value)")))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(queue.close(RedisError(.connectionClosed, "connection closed")))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        complete(queue.close(RedisError(.connectionClosed, "connection closed")))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let redisError = error as? RedisError ?? RedisError(.connectionClosed, "connection failed: \(error)")
        shut(context: context, queue.close(redisError))
    }

    private func timeout(for command: RedisCommand) -> Duration? {
        guard let commandTimeout else { return nil }
        guard let blocking = command.blockingFor else { return commandTimeout }
        return commandTimeout + blocking
    }

    private func armTimer(id: UInt64, after timeout: Duration, context: ChannelHandlerContext) {
        let timer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(timeout)) { [self] in
            guard let shutdown = queue.timedOut(id) else { return }
            shutdown.timedOut?.fail(RedisError(.timeout, "no reply within \(timeout)"))
            shut(context: context, shutdown)
        }
        queue.attach(timer, to: id)
    }

    /// Fails what was waiting and closes the channel.
    private func shut(context: ChannelHandlerContext, _ shutdown: Queue.Shutdown) {
        complete(shutdown)
        context.close(promise: nil)
    }

    private func complete(_ shutdown: Queue.Shutdown) {
        for timer in shutdown.timers { timer.cancel() }
        for promise in shutdown.failed { promise.fail(shutdown.error) }
    }
}
