/// Binance's time-in-force values.
public enum TimeInForce: String, Hashable, Sendable, CaseIterable {
    case gtc = "GTC"
    case ioc = "IOC"
    case fok = "FOK"
    /// Post only: rejected (-5022) if it would take liquidity.
    case gtx = "GTX"
}
