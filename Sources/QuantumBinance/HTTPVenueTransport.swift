import AsyncHTTPClient
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import QuantumCore
import QuantumVenue

/// The network transport: REST on AsyncHTTPClient, streams on the Hummingbird WebSocket client.
public struct HTTPVenueTransport: VenueTransport {
    let http: HTTPClient
    let logger: Logger

    public init(http: HTTPClient = .shared, logger: Logger = Logger(label: "quantum.venue")) {
        self.http = http
        self.logger = logger
    }

    public func send(_ request: TransportRequest, timeout: Duration) async throws(VenueError) -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        let http = self.http, prepared = outgoing
        // The client's own deadline covers the request; a hard one a little later covers the body and a client that
        // never fires its timeout (seen under load): a caller waiting on an order must get its ambiguous outcome.
        let outcome = await withHardDeadline(timeout + .seconds(1)) { () -> Result<TransportResponse, VenueError> in
            do {
                let response = try await http.execute(prepared, timeout: .milliseconds(timeout.wholeMilliseconds))
                let body = try await response.body.collect(upTo: 64 << 20)
                var headers: [String: String] = [:]
                for header in response.headers { headers[header.name.lowercased()] = header.value }
                return .success(TransportResponse(status: Int(response.status.code), headers: headers, body: Array(buffer: body)))
            } catch {
                return .failure(Self.transportError(error))
            }
        }
        guard let outcome else { throw VenueError(.timeout, "no reply in time (hard deadline)") }
        return try outcome.get()
    }

    public func stream(url: String, session: @escaping @Sendable (VenueStreamSession) async throws -> Void) async throws {
        var configuration = WebSocketClientConfiguration()
        configuration.maxFrameSize = 1 << 22
        try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            let io = VenueStreamSession(
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

    /// A failure with no reply: a timeout or a lost connection, both ambiguous.
    static func transportError(_ error: any Error) -> VenueError {
        if let client = error as? HTTPClientError, client == .deadlineExceeded || client == .readTimeout || client == .connectTimeout {
            return VenueError(.timeout, "no reply in time (\(client))")
        }
        if error is CancellationError { return VenueError(.halted, "cancelled") }
        return VenueError(.transport, "the connection failed before a reply (\(type(of: error)): \(error))")
    }
}
