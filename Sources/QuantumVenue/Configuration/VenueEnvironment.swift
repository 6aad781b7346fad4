/// Which Binance a venue is: real money, the demo (testnet), or any compatible server.
///
/// Credentials are tied to one environment, and the adapter refuses a pairing that does not match,
/// so production keys never reach the demo and demo keys never meet real money.
public enum VenueEnvironment: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// `fapi.binance.com`: real money.
    case production
    /// `demo-fapi.binance.com` (Binance's futures testnet).
    case demo
    /// Any other Binance-compatible server, such as `quantum exchange`.
    case custom

    public var description: String { rawValue }

    /// Which environment a REST host belongs to.
    public static func of(host: String) -> VenueEnvironment {
        let host = host.lowercased()
        if ["demo-fapi.binance.com", "testnet.binancefuture.com"].contains(host) { return .demo }
        if host == "fapi.binance.com" || host.hasSuffix(".binance.com") { return .production }
        return .custom
    }
}
