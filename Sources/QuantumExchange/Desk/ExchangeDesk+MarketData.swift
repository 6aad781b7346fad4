import QuantumCore
import QuantumVenue
import QuantumSim

extension ExchangeDesk {
    func exchangeInfo(_ call: DeskCall) -> JSONValue {
        BinanceJSON.exchangeInfo(
            rules: engine.rules.keys.sorted().compactMap { engine.rules[$0] }, serverTime: call.now,
            weightLimit: configuration.weights.limit, ordersPerMinute: configuration.orderCounts.perMinute,
            ordersPerTenSeconds: configuration.orderCounts.perTenSeconds)
    }

    /// `klines`: built from the 1-minute bars the feed made; other intervals are merged from them.
    func klines(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let text = try call.parameters.requiredString("interval")
        guard let interval = KlineInterval(rawValue: text) else { throw ExchangeError(code: -1120, message: "Invalid interval.") }
        let limit = try limit(call, default: 500, max: 1_500)
        let start = try call.parameters.millis("startTime")
        let end = try call.parameters.millis("endTime")
        var bars = Self.merge(paper.klines.klines(symbol, limit: paper.klines.retention), into: interval)
        if let forming = paper.klines.current(symbol) { bars = Self.merge(bars + [forming], into: interval) }
        bars = bars.filter { bar in
            (start.map { bar.openTime >= $0 } ?? true) && (end.map { bar.openTime <= $0 } ?? true)
        }
        let chosen = start != nil ? Array(bars.prefix(limit)) : Array(bars.suffix(limit))
        return .array(chosen.map(BinanceJSON.klineRow))
    }

    /// Merges time-ordered 1-minute bars into bars of `interval` (1m bars are returned as they are).
    static func merge(_ bars: [Kline], into interval: KlineInterval) -> [Kline] {
        var merged: [Kline] = []
        for bar in bars {
            let open = interval.openTime(containing: bar.openTime)
            if var last = merged.last, last.openTime == open {
                last.high = max(last.high, bar.high)
                last.low = min(last.low, bar.low)
                last.close = bar.close
                last.volume = (try? last.volume + bar.volume) ?? last.volume
                last.tradeCount += bar.tradeCount
                last.isClosed = bar.isClosed
                merged[merged.count - 1] = last
            } else {
                var fresh = bar
                fresh.interval = interval
                fresh.openTime = open
                merged.append(fresh)
            }
        }
        return merged
    }

    /// `ticker/price` v1/v2: one object with `symbol`, else an array of every priced symbol.
    func tickerPrice(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        try perSymbol(call) { symbol in engine.markets[symbol].map { BinanceJSON.tickerPrice(symbol, $0) } }
    }

    func bookTicker(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        try perSymbol(call) { symbol in
            engine.book(symbol, levels: 1).map { BinanceJSON.bookTicker(symbol, book: $0, time: engine.markets[symbol]?.time ?? call.now) }
        }
    }

    func premiumIndex(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        try perSymbol(call) { symbol in
            engine.markets[symbol].map {
                BinanceJSON.premiumIndex(symbol, $0, fundingRate: paper.predictedFundingRate(symbol), nextFundingTime: paper.nextFundingTime)
            }
        }
    }

    /// `depth`: the synthetic book; `limit` must be one of Binance's sizes.
    func depth(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let limit = try call.parameters.int("limit") ?? 500
        guard [5, 10, 20, 50, 100, 500, 1000].contains(limit) else { throw .invalidParameter("limit") }
        guard let book = engine.book(symbol, levels: limit) else { return BinanceJSON.depth(SyntheticBook(bids: [], asks: []), updateID: bookUpdateID, time: call.marketTime) }
        return BinanceJSON.depth(book, updateID: bookUpdateID, time: engine.markets[symbol]?.time ?? call.now)
    }

    /// `fundingRate`: the settlements made so far, oldest first.
    func fundingRate(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try optionalSymbol(call)
        let limit = try limit(call, default: 100, max: 1_000)
        let start = try call.parameters.millis("startTime")
        let end = try call.parameters.millis("endTime")
        let rows = paper.settlements.filter { settlement in
            (symbol.map { settlement.symbol == $0 } ?? true) && (start.map { settlement.time >= $0 } ?? true)
                && (end.map { settlement.time <= $0 } ?? true)
        }
        let chosen = start != nil ? Array(rows.prefix(limit)) : Array(rows.suffix(limit))
        return .array(chosen.map { row in
            [
                "symbol": .string(row.symbol.rawValue), "fundingRate": .string(row.rate.formatted(decimals: 8)),
                "fundingTime": .time(row.time), "markPrice": .plain(engine.markets[row.symbol]?.mark ?? .zero),
            ]
        })
    }

    /// An object for the `symbol` sent, or an array over every symbol with a value.
    func perSymbol(_ call: DeskCall, _ value: (Symbol) -> JSONValue?) throws(ExchangeError) -> JSONValue {
        if let symbol = try optionalSymbol(call) {
            guard let object = value(symbol) else { throw ExchangeError(code: -1121, message: "Invalid symbol.") }
            return object
        }
        return .array(engine.rules.keys.sorted().compactMap(value))
    }
}
