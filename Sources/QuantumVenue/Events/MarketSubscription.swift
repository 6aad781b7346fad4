import QuantumCore

/// A market stream the system listens to.
public enum MarketSubscription: Hashable, Sendable, CustomStringConvertible {
    case kline(Symbol, KlineInterval)
    case markPrice(Symbol)
    case bookTicker(Symbol)
    case aggTrade(Symbol)

    /// Binance's stream name (`btcusdt@kline_1m`, `btcusdt@markPrice@1s`).
    public var streamName: String {
        switch self {
        case .kline(let symbol, let interval): "\(symbol.rawValue.lowercased())@kline_\(interval.rawValue)"
        case .markPrice(let symbol): "\(symbol.rawValue.lowercased())@markPrice@1s"
        case .bookTicker(let symbol): "\(symbol.rawValue.lowercased())@bookTicker"
        case .aggTrade(let symbol): "\(symbol.rawValue.lowercased())@aggTrade"
        }
    }

    /// Whether production routes it to `/public` (the high-frequency book streams) rather than `/market`.
    public var isPublicCategory: Bool {
        if case .bookTicker = self { return true }
        return false
    }

    public var description: String { streamName }
}
