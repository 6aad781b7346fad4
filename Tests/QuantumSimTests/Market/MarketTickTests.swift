import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct MarketTickTests {
    @Test func carriesLastMarkAndVolume() {
        let tick = MarketTick(symbol: Symbol("BTCUSDT"), time: EpochMillis(1_000), lastPrice: FeedFixtures.price("95000.1"),
                              markPrice: FeedFixtures.price("95001.23456789"))
        #expect(tick.volume.isZero)
        #expect(tick.description == "BTCUSDT 1000 last=95000.1 mark=95001.23456789 v=0")
    }
}
