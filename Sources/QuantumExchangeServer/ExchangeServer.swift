import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import QuantumCore
import QuantumExchange

/// The Binance USDⓈ-M compatible HTTP and WebSocket server of the simulator (`quantum exchange`).
///
/// REST and every WebSocket URL layout share one port. `run()` serves until cancelled and, alongside,
/// paces the host's market feed; `onListening` reports the bound port (useful with port 0).
public struct ExchangeServer: Sendable {
    /// Where to listen.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks a free port (reported through `onListening`).
        public var port = 8080
        /// Server-initiated pings (Binance pings every 3 minutes).
        public var pingInterval: Duration = .seconds(180)
        /// The server's own log level (requests are not logged).
        public var logLevel: Logger.Level = .warning

        public init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
        }
    }

    public let host: ExchangeHost
    public let configuration: Configuration
    private let onListening: @Sendable (Int) async -> Void

    public init(host: ExchangeHost, configuration: Configuration = Configuration(), onListening: @escaping @Sendable (Int) async -> Void = { _ in }) {
        self.host = host
        self.configuration = configuration
        self.onListening = onListening
    }

    /// Serves until the task is cancelled; the feed runs alongside and stops with it.
    public func run() async throws {
        var logger = Logger(label: "quantum.exchange")
        logger.logLevel = configuration.logLevel
        let host = self.host
        let onListening = self.onListening
        let app = Application(
            responder: ExchangeResponder(host: host),
            server: .http1WebSocketUpgrade(
                configuration: .init(ws: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: configuration.pingInterval)))
            ) { head, _, _ in
                Self.upgrade(head, host: host)
            },
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "quantum-exchange"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        // Prices exist before the first request is served.
        await host.prime()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.run() }
            group.addTask { try await host.run() }
            // Listen keys expire on the clock even when no tick arrives (manual market, exhausted replay).
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(1))
                    await host.expireListenKeys()
                }
            }
            // The feed ending is not the server ending: wait for the server (or cancellation).
            while let _ = try await group.next() {}
        }
    }

    /// Upgrades stream paths to a WebSocket connection bound to the host; anything else is refused.
    static func upgrade(_ head: HTTPRequest, host: ExchangeHost) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        let target = head.path ?? "/"
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts.first ?? "/")
        let query = parts.count > 1 ? String(parts[1]) : ""
        guard StreamSession(path: path, query: query) != nil else { return .dontUpgrade }
        return .upgrade([:]) { inbound, outbound, _ in
            guard let (id, frames) = await host.connect(path: path, query: query) else { return }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 16) {
                        if case .text(let text) = message { await host.receive(id, text: text) }
                    }
                }
                group.addTask {
                    for await frame in frames {
                        switch frame {
                        case .text(let text): try await outbound.write(.text(text))
                        case .close: try await outbound.close(.goingAway, reason: "disconnected by the exchange")
                        }
                    }
                }
                _ = try await group.next()
                group.cancelAll()
            }
            await host.disconnect(id)
        }
    }
}
