import QuantumCore

/// Why a venue call failed, typed so callers decide by `code`, never by parsing text.
///
/// Secrets never appear here: messages carry the path and the exchange's text, not the query string.
public struct VenueError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The exchange refused the request (4xx with a Binance code): nothing was executed.
        case rejected
        /// The key, its permissions or the signature were refused (-1002, -1022, -2014, -2015).
        case authentication
        /// The timestamp fell outside the recvWindow (-1021): the local clock and the venue disagree.
        case timestamp
        /// HTTP 429 / -1003 / -1015: back off for `retryAfter`.
        case rateLimited
        /// HTTP 418: the IP is banned; every request halts until `retryAfter` has passed.
        case banned
        /// No reply in time: the request may or may not have been executed.
        case timeout
        /// The connection failed or closed before a reply: the request may have been executed.
        case transport
        /// 5xx, HTTP 408, -1006 or -1007: Binance's "execution status unknown" (the request may have been executed).
        case serverError
        /// The reply could not be decoded: the request may have been executed.
        case undecodable
        /// The adapter refuses to send (banned, halted, or shut down).
        case halted
        /// The adapter is configured inconsistently (keys for another environment, bad URL, skew).
        case configuration
    }

    public var code: Code
    public var message: String
    /// The exchange's error code (`-2019`), when it sent one.
    public var binanceCode: Int?
    /// The HTTP status, when there was a reply.
    public var httpStatus: Int?
    /// How long to wait before trying again (429/418 `Retry-After`, or the ban's end).
    public var retryAfter: Duration?

    public init(_ code: Code, _ message: String, binanceCode: Int? = nil, httpStatus: Int? = nil, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.binanceCode = binanceCode
        self.httpStatus = httpStatus
        self.retryAfter = retryAfter
    }

    /// Whether the request may have been executed although no answer says so (timeout, connection
    /// loss, 5xx, unreadable reply): an order must be looked up by its client id before anything else.
    public var isAmbiguous: Bool {
        switch code {
        case .timeout, .transport, .serverError, .undecodable: true
        default: false
        }
    }

    /// Whether asking again later may get another answer (a timeout, a cut connection, a 5xx, a garbled reply, a rate
    /// limit, a timestamp outside the window): a process starting up waits and retries instead of exiting. A refusal
    /// that will not change (bad keys, a ban, the wrong account mode) is not transient.
    public var isTransient: Bool {
        switch code {
        case .timeout, .transport, .serverError, .undecodable, .rateLimited, .timestamp: true
        case .rejected, .authentication, .banned, .halted, .configuration: false
        }
    }

    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let binanceCode { text += " (code \(binanceCode))" }
        return text
    }
}

extension VenueError {
    /// Maps an exchange error reply to its code: unknown outcome, authentication, timestamp, rate limits, or a plain rejection.
    public static func reply(status: Int, binanceCode: Int?, message: String, retryAfter: Duration?) -> VenueError {
        switch (status, binanceCode) {
        case (418, _):
            return VenueError(.banned, "IP banned by the venue: \(message)", binanceCode: binanceCode, httpStatus: status,
                              retryAfter: retryAfter)
        case (429, _), (_, -1003), (_, -1015):
            return VenueError(.rateLimited, message, binanceCode: binanceCode, httpStatus: status, retryAfter: retryAfter)
        case (500..., _), (408, _), (_, -1006), (_, -1007):
            // "Execution status unknown": a backend timeout (408, -1007), an unexpected backend reply (-1006) or an
            // internal error. Never a rejection: the order may exist, so it is looked up before anything else.
            return VenueError(.serverError, "HTTP \(status): \(message)", binanceCode: binanceCode, httpStatus: status)
        case (_, -1021):
            return VenueError(.timestamp, message, binanceCode: binanceCode, httpStatus: status)
        case (_, -1002), (_, -1022), (_, -2014), (_, -2015), (401, _), (403, _):
            return VenueError(.authentication, message, binanceCode: binanceCode, httpStatus: status)
        default:
            return VenueError(.rejected, message, binanceCode: binanceCode, httpStatus: status)
        }
    }
}
