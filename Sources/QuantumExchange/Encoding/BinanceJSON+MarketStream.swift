import QuantumCore
import QuantumVenue
import QuantumSim

extension BinanceJSON {
    /// `<symbol>@kline_<interval>`: the forming or just-closed bar.
    public static func klineEvent(_ kline: Kline, time: EpochMillis) -> JSONValue {
        let quote = (try? kline.close.notional(of: kline.volume)) ?? .zero
        return [
            "e": "kline",
            "E": .time(time),
            "s": .string(kline.symbol.rawValue),
            "k": [
                "t": .time(kline.openTime),
                "T": .time(kline.closeTime),
                "s": .string(kline.symbol.rawValue),
                "i": .string(kline.interval.rawValue),
                "f": 0,
                "L": .integer(Int64(kline.tradeCount)),
                "o": decimal(kline.open),
                "c": decimal(kline.close),
                "h": decimal(kline.high),
                "l": decimal(kline.low),
                "v": decimal(kline.volume),
                "n": .integer(Int64(kline.tradeCount)),
                "x": .bool(kline.isClosed),
                "q": decimal(quote),
                "V": "0",
                "Q": "0",
                "B": "0",
            ],
        ]
    }

    /// `<symbol>@markPrice`.
    public static func markPriceEvent(
        _ symbol: Symbol, mark: Price, fundingRate: Ratio, nextFundingTime: EpochMillis, time: EpochMillis
    ) -> JSONValue {
        [
            "e": "markPriceUpdate",
            "E": .time(time),
            "s": .string(symbol.rawValue),
            "p": decimal(mark),
            "i": decimal(mark),
            "P": decimal(mark),
            "r": .string(fundingRate.formatted(decimals: 8)),
            "T": .time(nextFundingTime),
        ]
    }

    /// `<symbol>@aggTrade`: one aggregated trade at the tick's last price.
    public static func aggTradeEvent(_ tick: MarketTick, id: Int64, buyerIsMaker: Bool) -> JSONValue {
        [
            "e": "aggTrade",
            "E": .time(tick.time),
            "s": .string(tick.symbol.rawValue),
            "a": .integer(id),
            "p": decimal(tick.lastPrice),
            "q": decimal(tick.volume),
            "f": .integer(id),
            "l": .integer(id),
            "T": .time(tick.time),
            "m": .bool(buyerIsMaker),
        ]
    }

    /// `<symbol>@bookTicker`: the top of the synthetic book.
    public static func bookTickerEvent(_ symbol: Symbol, book: SyntheticBook, updateID: Int64, time: EpochMillis) -> JSONValue {
        [
            "e": "bookTicker",
            "u": .integer(updateID),
            "s": .string(symbol.rawValue),
            "b": decimal(book.bids.first?.price ?? .zero),
            "B": decimal(book.bids.first?.quantity ?? .zero),
            "a": decimal(book.asks.first?.price ?? .zero),
            "A": decimal(book.asks.first?.quantity ?? .zero),
            "T": .time(time),
            "E": .time(time),
        ]
    }
}
