import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct IntraBarPathTests {
    private func bar(_ o: String, _ h: String, _ l: String, _ c: String, volume: String = "1.00000003") -> Kline {
        Kline(symbol: Symbol("ETHUSDT"), interval: .oneMinute, openTime: EpochMillis(60_000),
              open: FeedFixtures.price(o), high: FeedFixtures.price(h), low: FeedFixtures.price(l), close: FeedFixtures.price(c),
              volume: FeedFixtures.quantity(volume))
    }

    @Test func bullishBarsVisitTheLowFirst() {
        let path = IntraBarPath(bar("100", "110", "90", "105"))
        #expect(path.points.map(\.price) == ["100", "90", "110", "105"].map(FeedFixtures.price))
    }

    @Test func bearishBarsVisitTheHighFirst() {
        let path = IntraBarPath(bar("100", "110", "90", "95"))
        #expect(path.points.map(\.price) == ["100", "110", "90", "95"].map(FeedFixtures.price))
    }

    @Test func pointsSpanTheBarAndSplitTheVolumeExactly() {
        let path = IntraBarPath(bar("100", "110", "90", "95"))
        #expect(path.points.map(\.time.rawValue) == [60_000, 80_000, 100_000, 119_999])
        #expect(path.points.map(\.volume) == ["0.25", "0.25", "0.25", "0.25000003"].map(FeedFixtures.quantity))
        #expect(IntraBarPath.pointCount == path.points.count)
    }

    @Test func priceAtATimeInterpolatesBetweenPoints() {
        let path = IntraBarPath(bar("100", "110", "90", "95"))
        #expect(path.price(at: EpochMillis(0)) == FeedFixtures.price("100"))
        #expect(path.price(at: EpochMillis(70_000)) == FeedFixtures.price("105"))
        #expect(path.price(at: EpochMillis(90_000)) == FeedFixtures.price("100"))
        #expect(path.price(at: EpochMillis(80_001)) == FeedFixtures.price("109.999"))
        #expect(path.price(at: EpochMillis(200_000)) == FeedFixtures.price("95"))
    }

    @Test func theRealFilesPathsStayWithinEachBar() throws {
        for kline in try #require(FeedFixtures.btcMay).prefix(5_000) {
            let path = IntraBarPath(kline)
            #expect(path.points.allSatisfy { kline.low <= $0.price && $0.price <= kline.high && kline.contains($0.time) })
            #expect(path.points.map(\.price).max() == kline.high && path.points.map(\.price).min() == kline.low)
            #expect(path.points.first?.price == kline.open && path.points.last?.price == kline.close)
        }
    }
}
