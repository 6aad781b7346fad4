/// How an adapter reaches a venue: its REST requests and its stream connections.
///
/// Production and the simulator on loopback go over HTTP and WebSocket; a backtest or an
/// in-process benchmark hands the same bytes straight to the simulator. Everything above the
/// transport (signing, rate-limit budget, decoding, ambiguity handling) is the same in both.
public protocol VenueTransport: Sendable {
    /// Sends one request and returns the reply, whatever its status.
    ///
    /// Throws `.timeout` when no reply came within `timeout`, `.transport` when the connection
    /// failed before a reply, and `.halted` when cancelled; each of those leaves the request's
    /// effect unknown.
    func send(_ request: TransportRequest, timeout: Duration) async throws(VenueError) -> TransportResponse

    /// Connects to a stream `url` and runs `session` on it; returns when the session returns.
    /// Throws when the connection cannot be made or fails.
    func stream(url: String, session: @escaping @Sendable (VenueStreamSession) async throws -> Void) async throws
}

/// One REST request, already encoded and signed.
public struct TransportRequest: Sendable {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    public var method: String
    /// The full URL, query string included.
    public var url: String
    public var headers: [(name: String, value: String)]
    /// The form-encoded body of POST and PUT; empty otherwise.
    public var body: [UInt8]

    public init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The URL's path and query (without `?`), for transports that skip the network.
    public var pathAndQuery: (path: String, query: String) {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...] }
        guard let slash = rest.firstIndex(of: "/") else { return ("/", "") }
        let target = rest[slash...]
        guard let mark = target.firstIndex(of: "?") else { return (String(target), "") }
        return (String(target[..<mark]), String(target[target.index(after: mark)...]))
    }
}

/// One REST reply.
public struct TransportResponse: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
        self.body = body
    }

    /// A header's value by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What a session can do with its stream connection.
public struct VenueStreamSession: Sendable {
    /// Calls `receive` for every text frame until the server closes the connection or `receive` returns `false`.
    public let read: @Sendable (_ receive: @escaping @Sendable (String) async -> Bool) async throws -> Void
    /// Closes the connection (the reader then ends).
    public let close: @Sendable () async -> Void

    public init(read: @escaping @Sendable (_ receive: @escaping @Sendable (String) async -> Bool) async throws -> Void,
                close: @escaping @Sendable () async -> Void) {
        self.read = read
        self.close = close
    }
}
