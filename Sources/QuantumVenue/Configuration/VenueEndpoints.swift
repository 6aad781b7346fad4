import Foundation

/// Where a venue lives: the REST base, the WebSocket base, and the WebSocket layout.
public struct VenueEndpoints: Hashable, Sendable {
    /// How stream URLs are built.
    public enum StreamLayout: String, Hashable, Sendable {
        /// Production since 2026-04: `/public/…` (book), `/market/…` (the rest), `/private/…` (user data).
        case routed
        /// Demo/testnet and simulators: `/ws/<stream>`, `/stream?streams=…`, `/ws/<listenKey>`.
        case legacy
    }

    public var environment: VenueEnvironment
    /// `https://fapi.binance.com` (no trailing slash).
    public var restBase: String
    /// `wss://fstream.binance.com`.
    public var streamBase: String
    public var layout: StreamLayout

    public init(environment: VenueEnvironment, restBase: String, streamBase: String, layout: StreamLayout) {
        self.environment = environment
        self.restBase = Self.trimmed(restBase)
        self.streamBase = Self.trimmed(streamBase)
        self.layout = layout
    }

    /// Binance production (real money).
    public static let production = VenueEndpoints(
        environment: .production, restBase: "https://fapi.binance.com", streamBase: "wss://fstream.binance.com", layout: .routed)

    /// Binance demo trading (the futures testnet).
    public static let demo = VenueEndpoints(
        environment: .demo, restBase: "https://demo-fapi.binance.com", streamBase: "wss://fstream.binancefuture.com", layout: .legacy)

    /// Any Binance-compatible server at `restBase` (its streams at the same host with `ws`/`wss`).
    ///
    /// Throws if the URL is not http(s) or points at Binance itself (use `.production`/`.demo`, whose
    /// keys are checked).
    public static func custom(_ restBase: String, streamBase: String? = nil) throws(VenueError) -> VenueEndpoints {
        let base = trimmed(restBase)
        guard let schemeEnd = base.range(of: "://") else {
            throw VenueError(.configuration, "venue URL '\(base)' has no scheme (expected http:// or https://)")
        }
        let scheme = base[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw VenueError(.configuration, "venue URL '\(base)' must be http:// or https://")
        }
        let rest = base[schemeEnd.upperBound...]
        let hostAndPort = rest.split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
        let host = hostAndPort.split(separator: ":").first.map(String.init) ?? ""
        guard !host.isEmpty else { throw VenueError(.configuration, "venue URL '\(base)' has no host") }
        let environment = VenueEnvironment.of(host: host)
        switch environment {
        case .production: return .production
        case .demo: return .demo
        case .custom:
            let stream = streamBase ?? (scheme == "https" ? "wss://" : "ws://") + hostAndPort
            return VenueEndpoints(environment: .custom, restBase: base, streamBase: stream, layout: .legacy)
        }
    }

    /// The URL of a raw market stream connection for `streams` (combined when there are several).
    public func marketStreamURL(_ streams: [String], publicCategory: Bool) -> String {
        let prefix = layout == .routed ? (publicCategory ? "/public" : "/market") : ""
        return "\(streamBase)\(prefix)/stream?streams=\(streams.joined(separator: "/"))"
    }

    /// The URL of the user-data stream for a listen key.
    public func userStreamURL(listenKey: String) -> String {
        layout == .routed ? "\(streamBase)/private/ws?listenKey=\(listenKey)" : "\(streamBase)/ws/\(listenKey)"
    }

    private static func trimmed(_ url: String) -> String {
        var url = url.trimmingCharacters(in: .whitespaces)
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}
