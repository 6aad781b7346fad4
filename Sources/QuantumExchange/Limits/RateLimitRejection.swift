import QuantumSim

/// A request refused by a rate limit: the Binance error, its HTTP status (429, or 418 for a ban) and
/// how many seconds the client should wait (`Retry-After`).
public struct RateLimitRejection: Hashable, Sendable {
    /// `-1003` (request weight, bans) or `-1015` (order count).
    public var error: ExchangeError
    /// 429 over a limit, 418 while banned.
    public var status: Int
    /// Whole seconds until the window ends or the ban expires (at least 1).
    public var retryAfterSeconds: Int

    public init(error: ExchangeError, status: Int, retryAfterSeconds: Int) {
        self.error = error
        self.status = status
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The HTTP error response to send.
    public var response: BinanceErrorResponse {
        BinanceErrorResponse(error, status: status, retryAfterSeconds: retryAfterSeconds)
    }

    /// Whole seconds from `now` to `end`, rounded up, at least 1.
    static func seconds(from now: Int64, to end: Int64) -> Int {
        let millis = max(end - now, 1)
        return Int((millis + 999) / 1_000)
    }
}
