import Logging
import QuantumExchange

/// A simulator served on a free loopback port: what the embedded mode runs and what tests start.
///
/// `start` returns once the port is bound; `stop` cancels the server and waits for it to end.
public final class LoopbackExchange: Sendable {
    public let host: ExchangeHost
    /// The bound port.
    public let port: Int
    private let server: Task<Void, any Error>

    private init(host: ExchangeHost, port: Int, server: Task<Void, any Error>) {
        self.host = host
        self.port = port
        self.server = server
    }

    /// Serves `host` on `127.0.0.1` at a free port (or `configuration.port` when not 0).
    public static func start(host: ExchangeHost, configuration: ExchangeServer.Configuration = quiet) async throws -> LoopbackExchange {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = Task {
            defer { continuation.finish() }
            try await ExchangeServer(host: host, configuration: configuration) { port in continuation.yield(port) }.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            _ = await server.result
            throw LoopbackExchangeError(message: "the exchange server stopped before it listened")
        }
        return LoopbackExchange(host: host, port: port, server: server)
    }

    /// Port 0 on loopback, logging only critical errors.
    public static var quiet: ExchangeServer.Configuration {
        var configuration = ExchangeServer.Configuration(port: 0)
        configuration.logLevel = .critical
        return configuration
    }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Stops serving and waits until the server has ended.
    ///
    /// Stream connections are closed from our side first: a server draining a WebSocket its client keeps open
    /// could otherwise wait for it indefinitely.
    public func stop() async {
        await host.disconnectAll()
        server.cancel()
        _ = await server.result
    }
}

/// The loopback server could not start.
public struct LoopbackExchangeError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
