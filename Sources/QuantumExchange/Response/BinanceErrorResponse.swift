import QuantumSim

/// The HTTP response for a Binance error: status, headers and the body `{"code":-2019,"msg":"…"}`
/// (exactly `code` then `msg`, as Binance sends it).
public struct BinanceErrorResponse: Hashable, Sendable {
    /// The error carried in the body.
    public var error: ExchangeError
    /// The HTTP status.
    public var status: Int
    /// Seconds for `Retry-After` (sent with 429 and 418).
    public var retryAfterSeconds: Int?

    /// The response for `error`; `status` defaults to Binance's status for the code.
    public init(_ error: ExchangeError, status: Int? = nil, retryAfterSeconds: Int? = nil) {
        self.error = error
        self.status = status ?? Self.status(for: error)
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Binance's HTTP status for an error code (reference §4).
    ///
    /// 401 for `-1002`/`-2014`/`-2015`; 429 for `-1003` and `-1015`, but 418 for a `-1003` ban
    /// ("Way too many requests…"); 503 for `-1001`/`-1006`/`-1007`, whose execution status is
    /// unknown (the caller must reconcile, not assume failure); 500 for `-1000`; 400 otherwise.
    public static func status(for error: ExchangeError) -> Int {
        switch error.code {
        case -1002, -2014, -2015: 401
        case -1003: error.message.hasPrefix("Way too many requests") ? 418 : 429
        case -1015: 429
        case -1001, -1006, -1007: 503
        case -1000: 500
        default: 400
        }
    }

    /// The JSON body, `{"code":<code>,"msg":"<message>"}`.
    public var body: String {
        BinanceJSON.error(error).text
    }

    /// The body as UTF-8 bytes.
    public var bodyBytes: [UInt8] { Array(body.utf8) }

    /// The response headers: `Content-Type: application/json`, and `Retry-After` when known on a 429/418.
    public var headers: HTTPHeaderFields {
        var headers: HTTPHeaderFields = [BinanceHeader.contentType: "application/json"]
        if let retryAfterSeconds, status == 429 || status == 418 {
            headers.append(name: BinanceHeader.retryAfter, value: String(retryAfterSeconds))
        }
        return headers
    }
}
