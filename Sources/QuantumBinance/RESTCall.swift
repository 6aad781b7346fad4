import QuantumCore
import QuantumVenue

/// One REST request as the adapter describes it: what to send, how it is secured, what it costs.
struct RESTCall: Sendable {
    enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
    }

    enum Security: Sendable {
        /// Public market data.
        case none
        /// API key header only (listen keys).
        case apiKey
        /// API key header, timestamp, recvWindow and signature.
        case signed
    }

    var method: Method
    var path: String
    var parameters: [(name: String, value: String)]
    var security: Security
    /// IP weight (`REQUEST_WEIGHT`).
    var weight: Int
    /// New orders counted against `ORDERS`.
    var orders: Int
    var priority: RequestPriority
    /// Whether the call may wait inside the adapter for rate-limit budget. An open may not: its guard was judged
    /// before the wait, so it comes back "not sent, retry after" and the executor judges it again (expiry, kill
    /// switch, limits) before sending.
    var waitsForBudget = true

    init(
        _ method: Method, _ path: String, _ parameters: [(name: String, value: String)] = [], security: Security = .signed,
        weight: Int = 1, orders: Int = 0, priority: RequestPriority
    ) {
        self.method = method
        self.path = path
        self.parameters = parameters
        self.security = security
        self.weight = weight
        self.orders = orders
        self.priority = priority
    }

    /// Parameters go in the body for POST and PUT, in the query string otherwise (both are signed the same way).
    var sendsBody: Bool { method == .post || method == .put }
}
