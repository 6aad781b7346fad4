import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct TrendFollowingTests {
    /// Small periods so every number below can be checked by hand: EMA2/EMA3, ATR2.
    private let small = TrendFollowing.Configuration(fastPeriod: 2, slowPeriod: 3, atrPeriod: 2)

    @Test func defaultsAreTheDocumentedOnes() throws {
        let c = TrendFollowing.Configuration()
        #expect(c.fastPeriod == 12 && c.slowPeriod == 26 && c.atrPeriod == 14)
        #expect(c.stopATRMultiple == 2 && c.targetATRMultiple == 3 && c.fullConfidenceSpread == 0.5)
        let strategy = try TrendFollowing()
        #expect(strategy.name == "trend_following" && !strategy.isFallback && strategy.barsNeeded == 27)
    }

    @Test func aFreshUpwardCrossGoesLong() throws {
        let strategy = try TrendFollowing(configuration: small)
        // EMA2: 10, 10, 10, 34/3; EMA3: 10, 10, 11 → spread 0 then +1/3. ATR2: 1, 1, then (1 + 3)/2 = 2.
        let signal = try #require(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 10, 10, 10, 12])))
        #expect(signal.direction == .long)
        #expect(signal.referencePrice == StrategyFixtures.price("12"))
        #expect(signal.stopLoss == StrategyFixtures.price("8"))       // 12 − 2 × 2
        #expect(signal.takeProfit == StrategyFixtures.price("18"))    // 12 + 3 × 2
        // spread 1/3 over ATR 2 = 1/6 ATR, a third of the full-confidence spread: 0.5 + 0.45/3.
        #expect(abs(signal.confidence - 0.65) < 1e-9)
        #expect(signal.strategy == "trend_following" && !signal.isFallback)
    }

    @Test func aFreshDownwardCrossGoesShort() throws {
        let strategy = try TrendFollowing(configuration: small)
        let signal = try #require(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 10, 10, 10, 8])))
        #expect(signal.direction == .short)
        #expect(signal.stopLoss == StrategyFixtures.price("12"))      // 8 + 2 × 2
        #expect(signal.takeProfit == StrategyFixtures.price("2"))     // 8 − 3 × 2
        #expect(abs(signal.confidence - 0.65) < 1e-9)
    }

    @Test func anOldCrossOrNoCrossHolds() throws {
        let strategy = try TrendFollowing(configuration: small)
        // The cross happened one bar earlier: the fast EMA is still above, but it is not fresh.
        #expect(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 10, 10, 10, 12, 13])) == nil)
        #expect(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 10, 10, 10, 10])) == nil)
        #expect(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 11, 12, 13, 14, 15])) == nil)
    }

    @Test func signalsOncePerCrossOnAVShapedSeries() throws {
        let strategy = try TrendFollowing()
        let closes = (0..<60).map { 200 - Double($0) } + (1...40).map { 141 + 2 * Double($0) }
        let bars = try StrategyFixtures.bars(closes: closes)
        var fired: [(Int, StrategySignal)] = []
        for end in strategy.barsNeeded...bars.count {
            if let signal = strategy.evaluate(Array(bars[0..<end])) { fired.append((end - 1, signal)) }
        }
        #expect(fired.count == 1)
        let (index, signal) = try #require(fired.first)
        #expect(signal.direction == .long && index > 60)
        StrategyFixtures.expectWellFormed(signal, for: strategy, reference: bars[index].close, confidence: 0.5...0.95)
        // Mirror image: one short.
        let mirrored = try StrategyFixtures.bars(closes: closes.map { 400 - $0 })
        let shorts = (strategy.barsNeeded...mirrored.count).compactMap { strategy.evaluate(Array(mirrored[0..<$0])) }
        #expect(shorts.count == 1 && shorts.first?.direction == .short)
    }

    @Test func confidenceIsClampedToItsRange() throws {
        var config = small
        config.fullConfidenceSpread = 0.01
        let high = try #require(try TrendFollowing(configuration: config).evaluate(StrategyFixtures.bars(closes: [10, 10, 10, 10, 12])))
        #expect(high.confidence == TrendFollowing.maximumConfidence)
        config.fullConfidenceSpread = 1e9
        let low = try #require(try TrendFollowing(configuration: config).evaluate(StrategyFixtures.bars(closes: [10, 10, 10, 10, 12])))
        #expect(low.confidence >= TrendFollowing.minimumConfidence && low.confidence < 0.5 + 1e-6)
    }

    @Test func tooFewBarsOrAnImpossibleStopHold() throws {
        let strategy = try TrendFollowing(configuration: small)
        #expect(strategy.barsNeeded == 4)
        #expect(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 10, 12])) == nil)
        #expect(strategy.evaluate([]) == nil)
        // A stop 10 ATRs below 12 would be negative: no signal rather than a malformed one.
        var wide = small
        wide.stopATRMultiple = 10
        #expect(try TrendFollowing(configuration: wide).evaluate(StrategyFixtures.bars(closes: [10, 10, 10, 10, 12])) == nil)
        // Zero ATR (no range at all) gives no levels.
        #expect(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 10, 10, 10, 10], wick: 0)) == nil)
    }

    @Test(arguments: [
        TrendFollowing.Configuration(fastPeriod: 26, slowPeriod: 26),
        TrendFollowing.Configuration(fastPeriod: 30, slowPeriod: 26),
        TrendFollowing.Configuration(fastPeriod: 0),
        TrendFollowing.Configuration(atrPeriod: 0),
        TrendFollowing.Configuration(stopATRMultiple: 0),
        TrendFollowing.Configuration(targetATRMultiple: -3),
        TrendFollowing.Configuration(stopATRMultiple: .infinity),
        TrendFollowing.Configuration(targetATRMultiple: .nan),
        TrendFollowing.Configuration(fullConfidenceSpread: 0),
    ])
    func invalidConfigurationsAreRejected(_ configuration: TrendFollowing.Configuration) {
        #expect(throws: StrategyConfigurationError.self) { try TrendFollowing(configuration: configuration) }
    }

    @Test(.enabled(if: StrategyFixtures.hasKlines, "needs ../shared/data"))
    func everySignalOnRealKlinesIsWellFormed() async throws {
        let strategy = try TrendFollowing()
        var total = 0
        for path in [StrategyFixtures.btcMayPath, StrategyFixtures.xrpMayPath] {
            let signals = try await OffPool.run {
                StrategyFixtures.signals(of: strategy, over: try StrategyFixtures.klines(path, limit: 10_000), window: 120, confidence: 0.5...0.95)
            }
            #expect(signals.contains { $0.direction == .long } && signals.contains { $0.direction == .short })
            total += signals.count
        }
        #expect(total > 50)
    }
}
