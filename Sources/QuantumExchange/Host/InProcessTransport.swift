import QuantumCore
import QuantumVenue

/// The simulator as a venue transport, with no sockets: requests and stream frames go straight to
/// an `ExchangeHost` in the same process.
///
/// The adapter above it is unchanged (signing, budget, decoding, ambiguity handling), so a backtest
/// or a benchmark exercises the production code path minus the network. Injected faults behave as
/// they do over HTTP: a delay waits (and times out past the request timeout), a dropped reply is a
/// lost connection, a garbled one is cut in half.
public struct InProcessTransport: VenueTransport {
    public let host: ExchangeHost
    /// The address the host sees requests come from (rate limits are per IP).
    public var remoteAddress = "127.0.0.1"

    public init(host: ExchangeHost) {
        self.host = host
    }

    public func send(_ request: TransportRequest, timeout: Duration) async throws(VenueError) -> TransportResponse {
        let (path, query) = request.pathAndQuery
        var headers = HTTPHeaderFields()
        for header in request.headers { headers.append(name: header.name, value: header.value) }
        let binance = BinanceRequest(method: RequestMethod(rawValue: request.method), path: path, query: query, body: request.body,
                                     headers: headers, remoteAddress: remoteAddress)
        let reply = await host.handle(binance)
        if reply.delay > .zero {
            // On the host's clock: a simulation's virtual time, or real time.
            do { try await host.clock.sleep(for: min(reply.delay, timeout)) } catch { throw VenueError(.halted, "cancelled") }
            if reply.delay > timeout { throw VenueError(.timeout, "no reply in time (the simulator delayed it \(reply.delay))") }
        }
        if reply.drop { throw VenueError(.transport, "the connection failed before a reply (dropped by the simulator)") }
        var bytes = reply.body.bytes
        if reply.garble { bytes = Array(bytes.prefix(bytes.count / 2)) }
        var fields: [String: String] = [:]
        for field in reply.headers.fields { fields[field.name.lowercased()] = field.value }
        return TransportResponse(status: reply.status, headers: fields, body: bytes)
    }

    public func stream(url: String, session: @escaping @Sendable (VenueStreamSession) async throws -> Void) async throws {
        let (path, query) = TransportRequest(method: "GET", url: url).pathAndQuery
        guard let (id, frames) = await host.connect(path: path, query: query) else {
            throw VenueError(.transport, "no stream endpoint at \(path)")
        }
        let host = self.host
        let io = VenueStreamSession(
            read: { receive in
                for await frame in frames {
                    switch frame {
                    case .text(let text): if await !receive(text) { return }
                    case .close: return
                    }
                }
            },
            close: { await host.disconnect(id) })
        do {
            try await session(io)
        } catch {
            await host.disconnect(id)
            throw error
        }
        await host.disconnect(id)
    }
}
