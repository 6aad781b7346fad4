import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct KlineTests {
    private func bar(_ o: String, _ h: String, _ l: String, _ c: String) -> Kline {
        Kline(symbol: Symbol("BTCUSDT"), interval: .oneMinute, openTime: EpochMillis(1_746_372_780_000),
              open: FeedFixtures.price(o), high: FeedFixtures.price(h), low: FeedFixtures.price(l), close: FeedFixtures.price(c),
              volume: FeedFixtures.quantity("16.536"))
    }

    @Test func closeTimeIsTheBarsLastMillisecond() {
        let kline = bar("95505.4", "95505.5", "95502.7", "95502.7")
        #expect(kline.closeTime == EpochMillis(1_746_372_839_999))
        #expect(kline.contains(EpochMillis(1_746_372_839_999)))
        #expect(!kline.contains(EpochMillis(1_746_372_840_000)))
        #expect(kline.isClosed && kline.tradeCount == 0)
    }

    @Test func consistencyAndDirection() {
        #expect(bar("100", "110", "90", "105").isConsistent)
        #expect(bar("100", "110", "90", "105").isBullish)
        #expect(!bar("100", "110", "90", "95").isBullish)
        #expect(!bar("100", "99", "90", "95").isConsistent)
        #expect(!bar("100", "110", "101", "105").isConsistent)
        #expect(!bar("0", "110", "0", "105").isConsistent)
    }
}
