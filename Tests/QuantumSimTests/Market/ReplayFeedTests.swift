import Foundation
import QuantumCore
import QuantumSim
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct ReplayFeedTests {
    private func drain(_ feed: ReplayFeed) -> [MarketTick] {
        var feed = feed
        var ticks: [MarketTick] = []
        while let tick = feed.next() { ticks.append(tick) }
        return ticks
    }

    @Test func twoRealFilesReplayInLockstepAndDeterministically() throws {
        let btc = Array(try #require(FeedFixtures.btcMay).prefix(3_000))
        let eth = Array(try #require(FeedFixtures.ethMay).prefix(3_000))
        // Given in either order, the replay is the same.
        let feed = try ReplayFeed([ReplayFeed.Series(klines: eth), ReplayFeed.Series(klines: btc)])
        #expect(feed.symbols == [Symbol("BTCUSDT"), Symbol("ETHUSDT")])
        #expect(feed.nextTime == btc[0].openTime)
        let ticks = drain(feed)
        #expect(ticks.count == 4 * (btc.count + eth.count))
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $0.time <= $1.time })
        #expect(ticks == drain(try ReplayFeed([ReplayFeed.Series(klines: btc), ReplayFeed.Series(klines: eth)])))
        // Lockstep: both symbols' bars of one minute come before either symbol's next minute.
        let minutes = ticks.map { $0.time.rawValue / 60_000 }
        #expect(zip(minutes, minutes.dropFirst()).allSatisfy { $0 <= $1 })
        // Per symbol the ticks are the bars' paths, and the mark is the last price without a mark file.
        let btcTicks = ticks.filter { $0.symbol == Symbol("BTCUSDT") }
        #expect(btcTicks.map(\.lastPrice) == btc.flatMap { IntraBarPath($0).points.map(\.price) })
        #expect(ticks.allSatisfy { $0.markPrice == $0.lastPrice })
    }

    @Test func markPriceFollowsAMarkSeriesWhereItHasBars() throws {
        let trade = Kline(symbol: Symbol("BTCUSDT"), interval: .oneMinute, openTime: EpochMillis(28_800_000),
                          open: FeedFixtures.price("100"), high: FeedFixtures.price("101"), low: FeedFixtures.price("99"),
                          close: FeedFixtures.price("100.5"))
        var later = trade
        later.openTime = EpochMillis(57_600_000)
        let mark = Kline(symbol: Symbol("BTCUSDT"), interval: .eightHours, openTime: EpochMillis(28_800_000),
                         open: FeedFixtures.price("100.12345678"), high: FeedFixtures.price("100.2"),
                         low: FeedFixtures.price("100"), close: FeedFixtures.price("100.1"))
        let ticks = drain(try ReplayFeed([ReplayFeed.Series(klines: [trade, later], markKlines: [mark])]))
        #expect(ticks[0].markPrice == FeedFixtures.price("100.12345678"))
        #expect(ticks[1].markPrice != ticks[1].lastPrice)
        #expect(ticks[1].markPrice >= mark.low && ticks[1].markPrice <= mark.high)
        // The second bar opens after the mark bar ends: the mark falls back to the last price.
        #expect(ticks[4...].allSatisfy { $0.markPrice == $0.lastPrice })
    }

    @Test func loadsFilesByNameWithARealMarkFile() throws {
        let markURL = try SharedData.file("binance_um_futures/markprice_8h/BTCUSDT_mark_8h_20250306-20250603.csv")
        let marks = try KlineCSV.load(contentsOf: markURL)
        var feed = try ReplayFeed.load(
            klineFiles: [try SharedData.file("binance_um_futures/klines_5m/BTCUSDT_5m_20250306-20250413.csv")],
            markFiles: [markURL])
        var count = 0
        var differs = 0
        var markIndex = 0
        while count < 4_000, let tick = feed.next() {
            count += 1
            while markIndex < marks.count, marks[markIndex].closeTime < tick.time { markIndex += 1 }
            if markIndex < marks.count, marks[markIndex].contains(tick.time) {
                let bar = marks[markIndex]
                // Within a mark bar the mark price follows that bar's path.
                #expect(tick.markPrice >= bar.low && tick.markPrice <= bar.high)
                #expect(tick.markPrice == IntraBarPath(bar).price(at: tick.time))
                if tick.markPrice != tick.lastPrice { differs += 1 }
            } else {
                #expect(tick.markPrice == tick.lastPrice)
            }
        }
        #expect(count == 4_000 && differs > count / 2)
        #expect(throws: ReplayFeedError.self) {
            try ReplayFeed.load(klineFiles: [try SharedData.file(FeedFixtures.ethMayPath)], markFiles: [markURL])
        }
    }

    @Test func badSeriesAreRefused() throws {
        let btc = Array(try #require(FeedFixtures.btcMay).prefix(3))
        let eth = Array(try #require(FeedFixtures.ethMay).prefix(3))
        func code(_ body: () throws(ReplayFeedError) -> Void) -> ReplayFeedError.Code? {
            do { try body(); return nil } catch { return error.code }
        }
        #expect(code { () throws(ReplayFeedError) in _ = try ReplayFeed([]) } == .emptySeries)
        #expect(code { () throws(ReplayFeedError) in _ = try ReplayFeed.Series(klines: []) } == .emptySeries)
        #expect(code { () throws(ReplayFeedError) in _ = try ReplayFeed.Series(klines: btc + eth) } == .mixedSymbols)
        #expect(code { () throws(ReplayFeedError) in _ = try ReplayFeed.Series(klines: btc, markKlines: eth) } == .mixedSymbols)
        #expect(code { () throws(ReplayFeedError) in _ = try ReplayFeed.Series(klines: btc.reversed()) } == .outOfOrder)
        var broken = btc
        broken[1].high = broken[1].low
        broken[1].low = FeedFixtures.price("1000000")
        #expect(code { () throws(ReplayFeedError) in _ = try ReplayFeed.Series(klines: broken) } == .inconsistentBar)
        let series = try ReplayFeed.Series(klines: btc)
        #expect(code { () throws(ReplayFeedError) in _ = try ReplayFeed([series, series]) } == .duplicateSymbol)
    }
}
