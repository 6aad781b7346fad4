import QuantumVenue
import Synchronization

/// When each new order left the adapter: a transport wrapper that notes the instant a `POST
/// /fapi/v1/order` is handed to the transport underneath, keyed by its client order id.
///
/// That instant is "order sent" in the benchmark: after the plan was decided, journalled, signed and
/// budgeted, before the network (or the in-process simulator) sees it.
final class OrderSendLog: VenueTransport {
    private let base: any VenueTransport
    private let sent = Mutex<[String: ContinuousClock.Instant]>([:])

    init(wrapping base: any VenueTransport) {
        self.base = base
    }

    /// The first time the order with this client id was sent.
    func sentAt(_ clientOrderID: String) -> ContinuousClock.Instant? { sent.withLock { $0[clientOrderID] } }

    func send(_ request: TransportRequest, timeout: Duration) async throws(VenueError) -> TransportResponse {
        if request.method == "POST", request.pathAndQuery.path == "/fapi/v1/order",
           let id = FormURLEncoding.fields(of: request.body).first(where: { $0.name == "newClientOrderId" })?.value {
            let now = ContinuousClock.now
            sent.withLock { if $0[id] == nil { $0[id] = now } }
        }
        return try await base.send(request, timeout: timeout)
    }

    func stream(url: String, session: @escaping @Sendable (VenueStreamSession) async throws -> Void) async throws {
        try await base.stream(url: url, session: session)
    }
}
