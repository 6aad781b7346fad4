import QuantumCore
import QuantumVenue
import QuantumSim

/// A REST reply of the desk: status, Binance's headers and the JSON body, plus what the transport
/// must do besides answering (wait, or drop the reply).
public struct DeskReply: Sendable {
    public var status: Int
    public var body: JSONValue
    /// The IP's request weight used this minute (`X-MBX-USED-WEIGHT-1M`).
    public var usedWeight: Int
    /// The account's order counts (`X-MBX-ORDER-COUNT-10S`, `-1M`) on order endpoints.
    public var orderCounts: (tenSeconds: Int, minute: Int)?
    /// `Retry-After` seconds on 429/418.
    public var retryAfter: Int?
    /// Injected latency: the transport waits this long before answering.
    public var delay: Duration = .zero
    /// Injected fault: the request was executed, but the transport must close the connection without answering.
    public var drop = false
    /// Injected fault: the request was executed, but the transport must send only the first half of the body.
    public var garble = false

    public init(status: Int, body: JSONValue, usedWeight: Int) {
        self.status = status
        self.body = body
        self.usedWeight = usedWeight
    }

    /// An error reply with Binance's status for the code (or the one given).
    public init(error: ExchangeError, status: Int? = nil, retryAfter: Int? = nil, usedWeight: Int) {
        self.status = status ?? BinanceErrorResponse.status(for: error)
        self.body = BinanceJSON.error(error)
        self.usedWeight = usedWeight
        self.retryAfter = retryAfter
    }

    /// The headers Binance sends with this reply.
    public var headers: HTTPHeaderFields {
        var headers: HTTPHeaderFields = [BinanceHeader.contentType: "application/json"]
        headers.append(name: BinanceHeader.usedWeight1m, value: String(usedWeight))
        if let orderCounts {
            headers.append(name: BinanceHeader.orderCount10s, value: String(orderCounts.tenSeconds))
            headers.append(name: BinanceHeader.orderCount1m, value: String(orderCounts.minute))
        }
        if let retryAfter, status == 429 || status == 418 {
            headers.append(name: BinanceHeader.retryAfter, value: String(retryAfter))
        }
        return headers
    }
}
