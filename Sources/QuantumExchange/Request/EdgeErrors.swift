import QuantumCore
import QuantumSim

/// The Binance errors the HTTP edge produces (parsing, authentication, rate limits), as `ExchangeError`
/// values with Binance's codes and texts.
///
/// A namespace rather than statics on `ExchangeError` so that it cannot collide with the engine's own.
public enum EdgeErrors {
    /// `-1002`: the key may not call this endpoint (HTTP 401).
    public static let unauthorized = ExchangeError(code: -1002, message: "You are not authorized to execute this request.")

    /// `-1003`, HTTP 429: the IP's request weight for the minute is exhausted.
    public static func tooMuchWeight(limit: Int) -> ExchangeError {
        ExchangeError(
            code: -1003,
            message: "Too much request weight used; current limit is \(limit) request weight per 1 MINUTE. Please use the websocket for live updates to avoid polling the API."
        )
    }

    /// `-1003`, HTTP 418: the IP kept sending after a 429 and is banned until `until`.
    public static func ipBanned(until: EpochMillis) -> ExchangeError {
        ExchangeError(
            code: -1003,
            message: "Way too many requests; IP banned until \(until.rawValue). Please use the websocket for live updates to avoid bans."
        )
    }

    /// `-1007`, HTTP 503: the request reached the engine but its outcome is unknown (the caller must reconcile).
    public static let executionStatusUnknown = ExchangeError(
        code: -1007, message: "Timeout waiting for response from backend server. Send status unknown; execution status unknown."
    )

    /// `-4131`: a market order's sweep would pass the PERCENT_PRICE bound (a thin book); nothing executed.
    public static let marketOrderRejected = ExchangeError(
        code: -4131, message: "The counterparty's best price does not meet the PERCENT_PRICE filter limit."
    )

    /// `-1015`: too many new orders in one window (`interval` as Binance spells it: `10 SECOND`, `MINUTE`).
    public static func tooManyOrders(limit: Int, interval: String) -> ExchangeError {
        ExchangeError(code: -1015, message: "Too many new orders; current limit is \(limit) orders per \(interval).")
    }

    /// `-1021`: the timestamp is older than the receive window allows.
    public static let timestampOutsideRecvWindow = ExchangeError(code: -1021, message: "Timestamp for this request is outside of the recvWindow.")

    /// `-1021`: the timestamp is more than 1000 ms ahead of the server's clock.
    public static let timestampAhead = ExchangeError(code: -1021, message: "Timestamp for this request was 1000ms ahead of the server's time.")

    /// `-1022`: the HMAC does not match (or `signature` is malformed or not the last parameter).
    public static let invalidSignature = ExchangeError(code: -1022, message: "Signature for this request is not valid.")

    /// `-1100`: a parameter has characters outside Binance's legal pattern for it.
    public static func illegalCharacters(_ name: String, legalRange: String) -> ExchangeError {
        ExchangeError(code: -1100, message: "Illegal characters found in parameter '\(name)'; legal range is '\(legalRange)'.")
    }

    /// `-5000` (HTTP 404): a method and path the exchange does not serve.
    public static func invalidPath(_ path: String, method: RequestMethod) -> ExchangeError {
        ExchangeError(code: -5000, message: "Path \(path), Method \(method.rawValue) is invalid")
    }

    /// `-1101`: the same parameter twice within the query string or within the body.
    public static let duplicateParameter = ExchangeError(code: -1101, message: "Duplicate values for a parameter detected.")

    /// `-1111`: more decimals than can be represented (the engine checks the symbol's precision itself).
    public static let badPrecision = ExchangeError(code: -1111, message: "Precision is over the maximum defined for this asset.")

    /// `-2014`, HTTP 401: the `X-MBX-APIKEY` header is missing or not a well-formed key.
    public static let badAPIKeyFormat = ExchangeError(code: -2014, message: "API-key format invalid.")

    /// `-2015`, HTTP 401: the key is not known (Binance appends the caller's IP).
    public static func rejectedAPIKey(requestIP: String?) -> ExchangeError {
        let base = "Invalid API-key, IP, or permissions for action"
        return ExchangeError(code: -2015, message: requestIP.map { "\(base), request ip: \($0)" } ?? "\(base).")
    }
}
