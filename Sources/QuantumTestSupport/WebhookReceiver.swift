import Foundation
import Hummingbird
import Logging
import Synchronization

/// A local webhook receiver: records every POSTed body, in order, for a test to await.
public final class WebhookReceiver: Sendable {
    public let port: Int
    /// Every body received, in order.
    public let bodies: AsyncStream<String>
    private let server: Task<Void, any Error>

    private init(port: Int, bodies: AsyncStream<String>, server: Task<Void, any Error>) {
        self.port = port
        self.bodies = bodies
        self.server = server
    }

    /// Listens on a free loopback port; `/hook` answers 200 to every POST.
    public static func start() async throws -> WebhookReceiver {
        let (bodies, sink) = AsyncStream.makeStream(of: String.self)
        let (ports, announce) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            sink.yield(String(buffer: body))
            return .ok
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in announce.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let server = Task { try await app.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return WebhookReceiver(port: port, bodies: bodies, server: server)
    }

    public var url: String { "http://127.0.0.1:\(port)/hook" }

    public func stop() async {
        server.cancel()
        _ = await server.result
    }
}
