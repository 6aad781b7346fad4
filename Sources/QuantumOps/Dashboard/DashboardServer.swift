import Foundation
import Hummingbird
import Logging
import NIOCore
import QuantumBus
import QuantumCore
import QuantumServices
import ServiceLifecycle

/// The HTTP surface of a running system: the dashboard page, its JSON and live events, `/metrics`, and the kill switch.
///
/// Reads only, except `POST /api/kill-switch`, which needs the bearer token printed at start: the page is
/// served on loopback by default, and a token keeps another local user's browser tab from halting trading.
public struct DashboardServer: Service {
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 takes any free port (reported through `onListening`).
        public var port = 8080
        /// How often the live page gets a new snapshot.
        public var eventInterval: Duration = .seconds(1)
        /// The kill switch's token; generated at start when nil.
        public var token: String

        public init(token: String = DashboardServer.makeToken()) {
            self.token = token
        }
    }

    public let feed: DashboardFeed
    public let metrics: MetricsExporter
    public let store: any StateStore
    public let clock: any EpochClock
    public let configuration: Configuration
    public let logger: Logger
    private let onListening: @Sendable (Int) async -> Void

    public init(feed: DashboardFeed, metrics: MetricsExporter, store: any StateStore, clock: any EpochClock, configuration: Configuration,
                logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.feed = feed
        self.metrics = metrics
        self.store = store
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.onListening = onListening
    }

    /// 32 random hex digits.
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &generator)) }.joined()
    }

    public func run() async throws {
        let router = Router()
        let feed = self.feed, metrics = self.metrics, interval = configuration.eventInterval
        let killSwitch = KillSwitch(store: store), clock = self.clock, token = configuration.token, logger = self.logger
        router.get("/") { _, _ in Self.response(DashboardPage.html, type: "text/html; charset=utf-8") }
        router.get("/metrics") { _, _ in
            Self.response(metrics.render(try await feed.snapshot()), type: "text/plain; version=0.0.4; charset=utf-8")
        }
        router.get("/api/state") { _, _ in Self.response(try await feed.json(), type: "application/json") }
        router.get("/api/events") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                while !Task.isCancelled {
                    let json = try await feed.json()
                    try await writer.write(ByteBuffer(string: "data: \(json.replacingOccurrences(of: "\n", with: " "))\n\n"))
                    try await Task.sleep(for: interval)
                }
                try await writer.finish(nil)
            })
        }
        router.post("/api/kill-switch") { request, context in
            guard request.headers[.authorization] == "Bearer \(token)" else {
                return Self.response("{\"error\": \"a valid bearer token is required (printed when the system started)\"}", type: "application/json", status: .unauthorized)
            }
            let body = try await request.body.collect(upTo: 16 << 10)
            guard let command = try? JSONDecoder().decode(KillSwitchCommand.self, from: Data(buffer: body)),
                  ["halt", "resume"].contains(command.action) else {
                return Self.response("{\"error\": \"the body must be {\\\"action\\\": \\\"halt\\\" or \\\"resume\\\", \\\"reason\\\": …}\"}", type: "application/json", status: .badRequest)
            }
            if command.action == "halt" {
                let reason = String((command.reason ?? "dashboard").prefix(200))
                try await killSwitch.halt(reason: reason.isEmpty ? "dashboard" : reason, at: clock.now())
                logger.warning("kill switch set from the dashboard", metadata: ["reason": "\(reason)"])
            } else {
                try await killSwitch.resume()
                logger.notice("kill switch released from the dashboard")
            }
            await feed.invalidate()
            let state = try await killSwitch.state()
            return Self.response("{\"ok\": true, \"kill_switch\": {\"active\": \(state.active), \"reason\": \(state.reason.map { "\"\($0.jsonEscaped)\"" } ?? "null")}}",
                                 type: "application/json")
        }
        let onListening = self.onListening
        let app = Application(router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "quantum"),
                              onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) }, logger: logger)
        try await app.run()
    }

    private static func response(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The kill switch's request body.
struct KillSwitchCommand: Decodable {
    var action: String
    var reason: String?
}
