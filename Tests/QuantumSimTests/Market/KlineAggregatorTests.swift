import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct KlineAggregatorTests {
    private let btc = Symbol("BTCUSDT")

    private func tick(_ time: Int64, _ price: String, _ volume: String = "1", symbol: Symbol = Symbol("BTCUSDT")) -> MarketTick {
        MarketTick(symbol: symbol, time: EpochMillis(time), lastPrice: FeedFixtures.price(price),
                   markPrice: FeedFixtures.price(price), volume: FeedFixtures.quantity(volume))
    }

    @Test func reaggregatingAReplayGivesTheSourceBarsBack() throws {
        let source = Array(try #require(FeedFixtures.btcMay).prefix(2_000))
        var feed = try ReplayFeed([ReplayFeed.Series(klines: source)])
        var aggregator = KlineAggregator(interval: .oneMinute, retention: 5_000)
        var closed: [Kline] = []
        while let tick = feed.next() {
            if let bar = try aggregator.add(tick) { closed.append(bar) }
        }
        closed += aggregator.closeBars(before: EpochMillis(.max))
        #expect(closed.count == source.count)
        var expected = source
        for index in expected.indices { expected[index].tradeCount = IntraBarPath.pointCount }
        #expect(closed == expected)
        #expect(aggregator.klines(btc, limit: 10_000) == expected)
    }

    @Test func fiveMinuteBarsOfAOneMinuteReplayMatchTheirMinutes() throws {
        let minutes = Array(try #require(FeedFixtures.btcMay).drop { !KlineInterval.fiveMinutes.isAligned($0.openTime) }.prefix(1_000))
        var feed = try ReplayFeed([ReplayFeed.Series(klines: minutes)])
        var aggregator = KlineAggregator(interval: .fiveMinutes)
        var closed: [Kline] = []
        while let tick = feed.next() {
            if let bar = try aggregator.add(tick) { closed.append(bar) }
        }
        #expect(closed.count == 199)
        for (index, bar) in closed.enumerated() {
            let group = minutes[(index * 5)..<(index * 5 + 5)]
            #expect(bar.openTime == group.first?.openTime && bar.interval == .fiveMinutes)
            #expect(bar.open == group.first?.open && bar.close == group.last?.close)
            #expect(bar.high == group.map(\.high).max() && bar.low == group.map(\.low).min())
            #expect(bar.volume == (try group.reduce(Quantity.zero) { try $0 + $1.volume }))
            #expect(bar.tradeCount == 20 && bar.isClosed)
        }
    }

    @Test func theFormingBarIsExposedAndClosesWhenATickCrossesOrTheClockPasses() throws {
        var aggregator = KlineAggregator(interval: .oneMinute)
        #expect(try aggregator.add(tick(60_000, "100")) == nil)
        #expect(try aggregator.add(tick(61_000, "103", "0.5")) == nil)
        #expect(try aggregator.add(tick(119_999, "99")) == nil)
        let forming = try #require(aggregator.current(btc))
        #expect(!forming.isClosed && forming.tradeCount == 3 && forming.volume == FeedFixtures.quantity("2.5"))
        #expect(forming.high == FeedFixtures.price("103") && forming.low == FeedFixtures.price("99"))
        let closed = try #require(try aggregator.add(tick(180_500, "101")))
        #expect(closed.isClosed && closed.openTime == EpochMillis(60_000) && closed.close == FeedFixtures.price("99"))
        // No bar is invented for the empty minute at 120 000.
        #expect(aggregator.current(btc)?.openTime == EpochMillis(180_000))
        #expect(aggregator.closeBars(before: EpochMillis(239_999)).isEmpty)
        #expect(aggregator.closeBars(before: EpochMillis(240_000)).map(\.openTime) == [EpochMillis(180_000)])
        #expect(aggregator.current(btc) == nil)
        #expect(aggregator.klines(btc).map(\.openTime) == [EpochMillis(60_000), EpochMillis(180_000)])
        #expect(aggregator.klines(btc, limit: 1).map(\.openTime) == [EpochMillis(180_000)])
    }

    @Test func symbolsAreKeptApartAndRetentionIsBounded() throws {
        var aggregator = KlineAggregator(interval: .oneMinute, retention: 3)
        let eth = Symbol("ETHUSDT")
        for minute in Int64(0)..<10 {
            _ = try aggregator.add(tick(minute * 60_000, "100"))
            _ = try aggregator.add(tick(minute * 60_000 + 1, "2000", symbol: eth))
        }
        #expect(aggregator.symbols == [btc, eth])
        #expect(aggregator.klines(btc).count == 4)   // three closed bars kept, plus the forming one
        #expect(aggregator.klines(eth).allSatisfy { $0.symbol == eth && $0.close == FeedFixtures.price("2000") })
    }

    @Test func aTickOlderThanTheFormingBarIsRefused() throws {
        var aggregator = KlineAggregator(interval: .oneMinute)
        _ = try aggregator.add(tick(120_000, "100"))
        #expect(throws: KlineAggregatorError.self) { try aggregator.add(tick(119_999, "100")) }
        // Within the forming bar, an earlier millisecond is still that bar's trade.
        #expect(try aggregator.add(tick(120_000, "101")) == nil)
    }
}
