import QuantumVenue
import QuantumSim

/// A REST request as the Binance-compatible edge received it: method, path, the raw query string
/// and body (exactly the bytes the signature covers), headers and the peer address.
///
/// Transport-independent: the HTTP server builds one of these and hands it to the authenticator,
/// the weight table and the handlers.
public struct BinanceRequest: Sendable {
    /// The request method.
    public var method: RequestMethod
    /// The path without query string, e.g. `/fapi/v1/order`.
    public var path: String
    /// The raw query string after `?` (no leading `?`), still percent-encoded; empty if none.
    public var query: String
    /// The raw body bytes; empty if none.
    public var body: [UInt8]
    /// The request headers.
    public var headers: HTTPHeaderFields
    /// The client's IP address (rate limits are per IP; `-2015` names it), if known.
    public var remoteAddress: String?

    public init(
        method: RequestMethod, path: String, query: String = "", body: [UInt8] = [],
        headers: HTTPHeaderFields = [:], remoteAddress: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = headers
        self.remoteAddress = remoteAddress
    }

    /// A request whose body is given as text (sent as its UTF-8 bytes).
    public init(
        method: RequestMethod, path: String, query: String = "", body: String,
        headers: HTTPHeaderFields = [:], remoteAddress: String? = nil
    ) {
        self.init(method: method, path: path, query: query, body: Array(body.utf8), headers: headers, remoteAddress: remoteAddress)
    }

    /// The body as text (invalid UTF-8 replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The API key header `X-MBX-APIKEY`, if sent.
    public var apiKey: String? { headers[BinanceHeader.apiKey] }

    /// The request's parameters, from the query string and the form body, as Binance reads them.
    ///
    /// The body is read as `application/x-www-form-urlencoded` whatever its content type (Binance
    /// accepts no JSON parameters, and the signature covers the body either way). A name in both
    /// parts takes the query's value; a name twice within one part is `-1101`.
    public func parameters() throws(ExchangeError) -> BinanceParameters {
        let fromQuery = try Self.uniqueFields(FormURLEncoding.fields(of: query.utf8))
        let fromBody = try Self.uniqueFields(FormURLEncoding.fields(of: body))
        var merged = fromBody
        for (name, value) in fromQuery { merged[name] = value }
        return BinanceParameters(merged)
    }

    private static func uniqueFields(_ fields: [(name: String, value: String)]) throws(ExchangeError) -> [String: String] {
        var values: [String: String] = [:]
        for field in fields {
            guard values.updateValue(field.value, forKey: field.name) == nil else { throw EdgeErrors.duplicateParameter }
        }
        return values
    }
}
