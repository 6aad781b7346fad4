import QuantumCore

/// One market-data update from the venue's streams.
public enum MarketEvent: Hashable, Sendable {
    /// A kline update; `isClosed` on the bar's final update.
    case kline(KlineUpdate)
    case markPrice(MarkPriceUpdate)
    case bookTicker(BookTickerUpdate)
    case aggTrade(AggTradeUpdate)
    /// The market streams (re)connected: bars may have been missed and should be re-read over REST.
    case reconnected(EpochMillis)

    /// The symbol the update is about (`nil` for `reconnected`).
    public var symbol: Symbol? {
        switch self {
        case .kline(let update): update.symbol
        case .markPrice(let update): update.symbol
        case .bookTicker(let update): update.symbol
        case .aggTrade(let update): update.symbol
        case .reconnected: nil
        }
    }
}

/// `<symbol>@kline_<interval>`.
public struct KlineUpdate: Hashable, Sendable {
    public var symbol: Symbol
    public var interval: KlineInterval
    public var openTime: EpochMillis
    public var closeTime: EpochMillis
    public var open: Price
    public var high: Price
    public var low: Price
    public var close: Price
    public var volume: Quantity
    public var isClosed: Bool
    public var eventTime: EpochMillis
}

extension KlineUpdate {
    /// Decodes one row of `GET /fapi/v1/klines` (a 12-element array); `now` decides whether the bar has closed.
    public init(binanceRow row: JSONValue, symbol: Symbol, interval: KlineInterval, now: EpochMillis) throws(WireDecodingError) {
        let cells = try row.elements()
        guard cells.count >= 6 else { throw WireDecodingError(field: "", message: "a kline row has \(cells.count) cells, expected 12") }
        func cell(_ index: Int) -> JSONValue { .object([.init(String(index), cells[index])]) }
        let closeTime = cells.count > 6 ? try cell(6).time("6") : EpochMillis(try cell(0).integer("0") + interval.milliseconds - 1)
        self.init(
            symbol: symbol, interval: interval, openTime: try cell(0).time("0"), closeTime: closeTime,
            open: try cell(1).decimal("1"), high: try cell(2).decimal("2"), low: try cell(3).decimal("3"), close: try cell(4).decimal("4"),
            volume: try cell(5).valuation("5"), isClosed: closeTime < now, eventTime: now)
    }
}

/// `<symbol>@markPrice`.
public struct MarkPriceUpdate: Hashable, Sendable {
    public var symbol: Symbol
    public var markPrice: Price
    public var indexPrice: Price
    public var fundingRate: Ratio
    public var nextFundingTime: EpochMillis
    public var eventTime: EpochMillis
}

/// `<symbol>@bookTicker`.
public struct BookTickerUpdate: Hashable, Sendable {
    public var symbol: Symbol
    public var bidPrice: Price
    public var bidQuantity: Quantity
    public var askPrice: Price
    public var askQuantity: Quantity
    public var eventTime: EpochMillis
}

/// `<symbol>@aggTrade`.
public struct AggTradeUpdate: Hashable, Sendable {
    public var symbol: Symbol
    public var aggregateID: Int64
    public var price: Price
    public var quantity: Quantity
    public var buyerIsMaker: Bool
    public var tradeTime: EpochMillis
}

extension MarketEvent {
    /// Decodes a market-stream payload (the bare event object, unwrapped from a combined frame);
    /// `nil` for event types the system does not use.
    public init?(binance json: JSONValue) throws(WireDecodingError) {
        guard let type = try json.optionalString("e") else { throw WireDecodingError(field: "e", message: "missing") }
        switch type {
        case "kline":
            let k = try json.member("k")
            do {
                self = .kline(KlineUpdate(
                    symbol: try k.symbol("s"), interval: try k.enumeration("i"), openTime: try k.time("t"), closeTime: try k.time("T"),
                    open: try k.decimal("o"), high: try k.decimal("h"), low: try k.decimal("l"), close: try k.decimal("c"),
                    volume: try k.valuation("v"), isClosed: try k.boolean("x"), eventTime: try json.time("E")))
            } catch { throw error.within("k") }
        case "markPriceUpdate":
            self = .markPrice(MarkPriceUpdate(
                symbol: try json.symbol("s"), markPrice: try json.valuation("p"), indexPrice: try json.valuation("i"),
                fundingRate: try json.optionalDecimal("r") ?? .zero, nextFundingTime: EpochMillis(try json.optionalInteger("T") ?? 0),
                eventTime: try json.time("E")))
        case "bookTicker":
            self = .bookTicker(BookTickerUpdate(
                symbol: try json.symbol("s"), bidPrice: try json.decimal("b"), bidQuantity: try json.decimal("B"),
                askPrice: try json.decimal("a"), askQuantity: try json.decimal("A"), eventTime: EpochMillis(try json.firstInteger("E", "T") ?? 0)))
        case "aggTrade":
            self = .aggTrade(AggTradeUpdate(
                symbol: try json.symbol("s"), aggregateID: try json.integer("a"), price: try json.decimal("p"),
                quantity: try json.decimal("q"), buyerIsMaker: try json.boolean("m"), tradeTime: try json.time("T")))
        default:
            return nil
        }
    }
}
