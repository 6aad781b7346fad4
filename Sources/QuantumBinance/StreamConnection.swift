import HummingbirdWSClient
import Logging

/// One WebSocket connection, hiding the client library: connect, read text frames, close.
enum StreamConnection {
    /// What a session can do with its connection.
    struct Session: Sendable {
        /// Calls `receive` for every text frame until the server closes the connection or `receive` returns `false`.
        let read: @Sendable (_ receive: @escaping @Sendable (String) async -> Bool) async throws -> Void
        /// Closes the connection (the reader then ends).
        let close: @Sendable () async -> Void
    }

    /// Connects to `url` and runs `session`; returns when the session returns. Throws when the
    /// connection cannot be made or fails.
    static func run(url: String, logger: Logger, session: @escaping @Sendable (Session) async throws -> Void) async throws {
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = 1 << 22
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            let io = Session(
                read: { receive in
                    for try await message in inbound.messages(maxSize: 1 << 24) {
                        guard case .text(let text) = message else { continue }
                        if await !receive(text) { return }
                    }
                },
                close: { try? await outbound.close(.normalClosure, reason: nil) })
            try await session(io)
        }
    }
}
