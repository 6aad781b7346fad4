import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct MarketFeedTests {
    /// Drains up to `limit` ticks from any feed, as the exchange's pacing loop does.
    private func drain(_ feed: inout some MarketFeed, limit: Int) -> [MarketTick] {
        var ticks: [MarketTick] = []
        while ticks.count < limit, let tick = feed.next() { ticks.append(tick) }
        return ticks
    }

    @Test func everyFeedIsTimeOrderedThroughTheProtocol() throws {
        var replay = try ReplayFeed([ReplayFeed.Series(klines: Array(try #require(FeedFixtures.btcMay).prefix(100)))])
        var synthetic = try SyntheticFeed(.init(seed: 1, startTime: EpochMillis(0)))
        var boxed: [any MarketFeed] = [replay, synthetic]
        for feed in [drain(&replay, limit: 1_000), drain(&synthetic, limit: 1_000)] {
            #expect(!feed.isEmpty && zip(feed, feed.dropFirst()).allSatisfy { $0.time <= $1.time })
        }
        #expect(drain(&replay, limit: 10).isEmpty)  // the replay of 100 bars is exhausted
        #expect(boxed[0].next()?.time == EpochMillis(1_746_372_780_000))
        #expect(boxed[1].next()?.time == EpochMillis(0))
    }
}
