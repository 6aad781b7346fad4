import QuantumCore
import QuantumVenue
import QuantumSim

extension ExchangeDesk {
    /// Applies a market tick and returns the events of the streams someone subscribed to.
    ///
    /// Per tick: `@aggTrade`, `@bookTicker` (and `!bookTicker`), `@kline_<i>` (the closed bar with
    /// `x:true` first, then the forming one); `@markPrice` every 3 s of market time (`@1s` every second),
    /// and `!markPrice@arr` likewise. Only subscribed streams are built, so replay at full speed stays cheap.
    public mutating func advance(_ tick: MarketTick, subscribed: Set<StreamName>) -> [StreamEvent] {
        guard let outcome = paper.apply(tick) else { return [] }
        bookUpdateID += 1
        aggTradeID += 1
        guard !subscribed.isEmpty else { return [] }
        let symbol = tick.symbol
        var events: [StreamEvent] = []
        if subscribed.contains(.aggTrade(symbol)) {
            let previous = outcome.closedKlines.last?.close ?? tick.lastPrice
            events.append(StreamEvent(stream: .aggTrade(symbol),
                                      payload: BinanceJSON.aggTradeEvent(tick, id: aggTradeID, buyerIsMaker: tick.lastPrice < previous)))
        }
        let wantsBook = subscribed.contains(.bookTicker(symbol)) || subscribed.contains(.allBookTickers)
        if wantsBook, let book = engine.book(symbol, levels: 1) {
            let payload = BinanceJSON.bookTickerEvent(symbol, book: book, updateID: bookUpdateID, time: tick.time)
            if subscribed.contains(.bookTicker(symbol)) { events.append(StreamEvent(stream: .bookTicker(symbol), payload: payload)) }
            if subscribed.contains(.allBookTickers) { events.append(StreamEvent(stream: .allBookTickers, payload: payload)) }
        }
        for interval in KlineInterval.allCases where subscribed.contains(.kline(symbol, interval)) {
            events += klineEvents(symbol, interval: interval, outcome: outcome)
        }
        events += markPriceEvents(symbol, at: tick.time, subscribed: subscribed)
        return events
    }

    private func klineEvents(_ symbol: Symbol, interval: KlineInterval, outcome: PaperExchange.TickOutcome) -> [StreamEvent] {
        var events: [StreamEvent] = []
        let time = outcome.tick.time
        if let closed = outcome.closedKlines.last {
            // A longer bar closes when the 1-minute bar that ends it closes.
            let merged = currentKline(symbol, interval: interval, endingWith: closed)
            if var bar = merged, interval == .oneMinute || bar.closeTime == closed.closeTime {
                bar.isClosed = true
                events.append(StreamEvent(stream: .kline(symbol, interval), payload: BinanceJSON.klineEvent(bar, time: time)))
            }
        }
        if let forming = outcome.formingKline, let bar = currentKline(symbol, interval: interval, endingWith: forming) {
            events.append(StreamEvent(stream: .kline(symbol, interval), payload: BinanceJSON.klineEvent(bar, time: time)))
        }
        return events
    }

    /// The bar of `interval` that contains the 1-minute bar `last`, merged from the 1-minute bars.
    func currentKline(_ symbol: Symbol, interval: KlineInterval, endingWith last: Kline) -> Kline? {
        guard interval != .oneMinute else { return last }
        let open = interval.openTime(containing: last.openTime)
        let earlier = paper.klines.klines(symbol, limit: paper.klines.retention).filter { $0.openTime >= open && $0.openTime < last.openTime }
        return Self.merge(earlier + [last], into: interval).last
    }

    private mutating func markPriceEvents(_ symbol: Symbol, at time: EpochMillis, subscribed: Set<StreamName>) -> [StreamEvent] {
        var events: [StreamEvent] = []
        for everySecond in [false, true] {
            let wantsOne = subscribed.contains(.markPrice(symbol, everySecond: everySecond))
            let wantsAll = subscribed.contains(.allMarkPrices(everySecond: everySecond))
            guard wantsOne || wantsAll else { continue }
            let period: Int64 = everySecond ? 1_000 : 3_000
            let key = "\(symbol.rawValue)@\(period)"
            if let last = lastMarkPush[key], time.rawValue - last.rawValue < period { continue }
            lastMarkPush[key] = time
            guard let event = markEvent(symbol, time: time) else { continue }
            if wantsOne { events.append(StreamEvent(stream: .markPrice(symbol, everySecond: everySecond), payload: event)) }
            if wantsAll {
                let all = engine.markets.keys.sorted().compactMap { markEvent($0, time: time) }
                events.append(StreamEvent(stream: .allMarkPrices(everySecond: everySecond), payload: .array(all)))
            }
        }
        return events
    }

    private func markEvent(_ symbol: Symbol, time: EpochMillis) -> JSONValue? {
        guard let market = engine.markets[symbol] else { return nil }
        return BinanceJSON.markPriceEvent(symbol, mark: market.mark, fundingRate: paper.predictedFundingRate(symbol),
                                          nextFundingTime: paper.nextFundingTime, time: time)
    }

    /// The user-stream events produced since the last call, addressed to each live listen key of their account.
    ///
    /// Accounts without a live key lose their events, as on Binance (the client reconciles by REST);
    /// the "dropped user events" fault loses the next N events of any account, the "duplicated" one sends them twice.
    public mutating func drainUserStreams(at now: EpochMillis) -> [StreamEvent] {
        // Events held back go out once due, after any that overtook them.
        var events = heldUserEvents.filter { $0.release <= now }.map(\.event)
        heldUserEvents.removeAll { $0.release <= now }
        for account in engine.accounts.keys.sorted() {
            let drained = paper.engine.drainEvents(account)
            guard !drained.isEmpty else { continue }
            let keys = listenKeys.keys(of: account, at: now)
            for event in drained {
                if faults.droppedUserEvents > 0 {
                    faults.droppedUserEvents -= 1
                    continue
                }
                let payload = BinanceJSON.userEvent(event)
                var copies = 1
                if faults.duplicatedUserEvents > 0 {
                    faults.duplicatedUserEvents -= 1
                    copies = 2
                }
                let delayed = faults.delayedUserEvents > 0
                if delayed { faults.delayedUserEvents -= 1 }
                for _ in 0..<copies {
                    for key in keys {
                        let event = StreamEvent(stream: .userData(listenKey: key), payload: payload)
                        if delayed { heldUserEvents.append((now.advanced(by: faults.userEventDelay), event)) } else { events.append(event) }
                    }
                }
            }
        }
        return events
    }

    /// `listenKeyExpired` for every key that expired at `now` (the key is gone afterwards).
    public mutating func expireListenKeys(at now: EpochMillis) -> [StreamEvent] {
        listenKeys.expire(at: now).map { key in
            StreamEvent(stream: .userData(listenKey: key), payload: BinanceJSON.listenKeyExpired(key, time: now))
        }
    }
}
