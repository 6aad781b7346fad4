import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// `GET /metrics` alone: what a single-service process exposes (its own request and order latencies, rate-limit headroom).
///
/// The store-backed figures come from the dashboard process (`quantum dashboard`), which reads the shared state.
public struct MetricsServer: Service {
    public let registry: PrometheusCollectorRegistry
    public let host: String
    public let port: Int
    public let logger: Logger

    public init(registry: PrometheusCollectorRegistry, host: String = "127.0.0.1", port: Int, logger: Logger) {
        self.registry = registry
        self.host = host
        self.port = port
        self.logger = logger
    }

    public func run() async throws {
        let router = Router()
        let registry = self.registry
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "quantum"), logger: logger)
        try await app.run()
    }
}
