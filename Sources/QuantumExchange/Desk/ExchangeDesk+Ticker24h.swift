import QuantumCore
import QuantumSim
import QuantumVenue

extension ExchangeDesk {
    /// `ticker/24hr`: the rolling day's statistics of a symbol (or of every symbol), from the 1-minute bars the feed made.
    ///
    /// The window is the bars that opened within 24 hours before the market time, the forming bar included. Trades are
    /// not kept one by one, so `firstId`/`lastId` are -1 and `lastQty` is 0, as Binance answers for a symbol without
    /// trades; `count` is the bars' trade count.
    func ticker24h(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        try perSymbol(call) { symbol in
            guard let market = engine.markets[symbol] else { return nil }
            let since = EpochMillis(market.time.rawValue - 86_400_000)
            var bars = paper.klines.klines(symbol, limit: paper.klines.retention).filter { $0.openTime > since }
            if let forming = paper.klines.current(symbol) { bars.append(forming) }
            return BinanceJSON.ticker24h(symbol, bars: bars, market: market)
        }
    }
}

extension BinanceJSON {
    /// Binance's 24-hour ticker object, computed exactly from bars (volume-weighted price from each bar's close).
    static func ticker24h(_ symbol: Symbol, bars: [Kline], market: SimulatedExchange.MarketPrice) -> JSONValue {
        let open = bars.first?.open ?? market.last
        let high = bars.map(\.high).max() ?? market.last
        let low = bars.map(\.low).min() ?? market.last
        var volume = Quantity.zero, quote = Notional.zero, count = 0
        for bar in bars {
            volume = (try? volume + bar.volume) ?? volume
            quote = (try? quote + (try bar.close.notional(of: bar.volume))) ?? quote
            count += bar.tradeCount
        }
        let change = (try? market.last - open) ?? .zero
        let percent = open.isPositive ? (try? Ratio(units: change.units).scaled(by: 100 * Ratio.one, over: open.units, rounding: .nearest)) ?? .zero : .zero
        let average = volume.isPositive ? (try? quote.price(per: volume)) ?? market.last : market.last
        return [
            "symbol": .string(symbol.rawValue),
            "priceChange": decimal(change), "priceChangePercent": .decimal(percent, decimals: 3),
            "weightedAvgPrice": decimal(average), "lastPrice": decimal(market.last), "lastQty": decimal(Quantity.zero),
            "openPrice": decimal(open), "highPrice": decimal(high), "lowPrice": decimal(low),
            "volume": decimal(volume), "quoteVolume": decimal(quote),
            "openTime": .time(bars.first?.openTime ?? market.time), "closeTime": .time(market.time),
            "firstId": .integer(-1), "lastId": .integer(-1), "count": .integer(Int64(count)),
        ]
    }
}
