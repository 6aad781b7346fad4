import QuantumCore
import QuantumVenue
import QuantumSim

/// A WebSocket stream the simulator serves, parsed from Binance's lower-case stream names.
public enum StreamName: Hashable, Sendable, CustomStringConvertible {
    /// `<symbol>@kline_<interval>`.
    case kline(Symbol, KlineInterval)
    /// `<symbol>@markPrice` (3 s) or `<symbol>@markPrice@1s`.
    case markPrice(Symbol, everySecond: Bool)
    /// `!markPrice@arr` or `!markPrice@arr@1s`: every symbol in one array.
    case allMarkPrices(everySecond: Bool)
    /// `<symbol>@aggTrade`.
    case aggTrade(Symbol)
    /// `<symbol>@bookTicker`.
    case bookTicker(Symbol)
    /// `!bookTicker`: every symbol's book ticker.
    case allBookTickers
    /// A listen key: the account's user data stream.
    case userData(listenKey: String)

    /// Parses a stream name as clients send it; `nil` if the simulator does not serve it.
    ///
    /// Symbols are upper-cased (clients send `btcusdt`); a 64-character alphanumeric name is a listen key.
    public init?(_ text: String) {
        if text.count == 64, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            self = .userData(listenKey: text)
            return
        }
        switch text {
        case "!markPrice@arr": self = .allMarkPrices(everySecond: false); return
        case "!markPrice@arr@1s": self = .allMarkPrices(everySecond: true); return
        case "!bookTicker": self = .allBookTickers; return
        default: break
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, parts[0] == parts[0].lowercased(), let symbol = Symbol(rawValue: parts[0].uppercased()) else { return nil }
        switch (parts[1], parts.count) {
        case ("markPrice", 2): self = .markPrice(symbol, everySecond: false)
        case ("markPrice", 3) where parts[2] == "1s": self = .markPrice(symbol, everySecond: true)
        case ("markPrice", 3) where parts[2] == "3s": self = .markPrice(symbol, everySecond: false)
        case ("aggTrade", 2): self = .aggTrade(symbol)
        case ("bookTicker", 2): self = .bookTicker(symbol)
        case (let kind, 2) where kind.hasPrefix("kline_"):
            guard let interval = KlineInterval(rawValue: String(kind.dropFirst(6))) else { return nil }
            self = .kline(symbol, interval)
        default: return nil
        }
    }

    /// The name as Binance writes it (the `stream` of combined payloads).
    public var description: String {
        switch self {
        case .kline(let symbol, let interval): "\(symbol.rawValue.lowercased())@kline_\(interval.rawValue)"
        case .markPrice(let symbol, let everySecond): "\(symbol.rawValue.lowercased())@markPrice\(everySecond ? "@1s" : "")"
        case .allMarkPrices(let everySecond): "!markPrice@arr\(everySecond ? "@1s" : "")"
        case .aggTrade(let symbol): "\(symbol.rawValue.lowercased())@aggTrade"
        case .bookTicker(let symbol): "\(symbol.rawValue.lowercased())@bookTicker"
        case .allBookTickers: "!bookTicker"
        case .userData(let key): key
        }
    }

    /// The symbol of a per-symbol stream.
    public var symbol: Symbol? {
        switch self {
        case .kline(let symbol, _), .markPrice(let symbol, _), .aggTrade(let symbol), .bookTicker(let symbol): symbol
        case .allMarkPrices, .allBookTickers, .userData: nil
        }
    }
}

/// One event for the streams: the stream it belongs to and its payload.
public struct StreamEvent: Sendable {
    public var stream: StreamName
    public var payload: JSONValue

    public init(stream: StreamName, payload: JSONValue) {
        self.stream = stream
        self.payload = payload
    }
}
