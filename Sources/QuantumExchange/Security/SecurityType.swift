/// Binance's security type of an endpoint: what a request must carry to be served.
public enum SecurityType: String, Hashable, Sendable, CaseIterable {
    /// Public: nothing required.
    case none = "NONE"
    /// API key header only (e.g. historicalTrades).
    case marketData = "MARKET_DATA"
    /// API key header only (listenKey endpoints).
    case userStream = "USER_STREAM"
    /// API key, `timestamp` and `signature` (order entry, configuration changes).
    case trade = "TRADE"
    /// API key, `timestamp` and `signature` (account queries).
    case userData = "USER_DATA"

    /// Whether the `X-MBX-APIKEY` header must name a known key.
    public var requiresAPIKey: Bool { self != .none }

    /// Whether `timestamp` and an HMAC `signature` are required.
    public var requiresSignature: Bool { self == .trade || self == .userData }

    /// The security type of a USDⓈ-M endpoint, from Binance's documentation.
    ///
    /// Market data (and the spot `/api/v3` calls clients make at start-up) is public, `historicalTrades`
    /// needs a key, listenKey endpoints need a key, writes are TRADE and any other path USER_DATA, so
    /// an unlisted endpoint is never served unsigned.
    public static func of(method: RequestMethod, path: String) -> SecurityType {
        if publicPaths.contains(path) || path.hasPrefix("/futures/data/") || path.hasPrefix("/api/") { return .none }
        if path == "/fapi/v1/historicalTrades" { return .marketData }
        if path == "/fapi/v1/listenKey" { return .userStream }
        return method == .get ? .userData : .trade
    }

    private static let publicPaths: Set<String> = [
        "/fapi/v1/ping", "/fapi/v1/time", "/fapi/v1/exchangeInfo", "/fapi/v1/depth", "/fapi/v1/trades",
        "/fapi/v1/aggTrades", "/fapi/v1/klines", "/fapi/v1/continuousKlines", "/fapi/v1/markPriceKlines",
        "/fapi/v1/indexPriceKlines", "/fapi/v1/premiumIndexKlines", "/fapi/v1/premiumIndex", "/fapi/v1/fundingRate",
        "/fapi/v1/fundingInfo", "/fapi/v1/ticker/price", "/fapi/v2/ticker/price", "/fapi/v1/ticker/bookTicker",
        "/fapi/v1/ticker/24hr", "/fapi/v1/openInterest", "/fapi/v1/constituents", "/fapi/v1/indexInfo",
        "/fapi/v1/assetIndex",
    ]
}
