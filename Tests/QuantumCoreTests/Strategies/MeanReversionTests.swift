import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct MeanReversionTests {
    /// Small periods so every number below can be checked by hand: RSI2, Bollinger(4, 1σ), ATR2.
    private let small = MeanReversion.Configuration(rsiPeriod: 2, bandPeriod: 4, bandWidth: 1, atrPeriod: 2)

    @Test func defaultsAreTheDocumentedOnes() throws {
        let c = MeanReversion.Configuration()
        #expect(c.rsiPeriod == 14 && c.oversold == 30 && c.overbought == 70)
        #expect(c.bandPeriod == 20 && c.bandWidth == 2 && c.atrPeriod == 14 && c.stopATRMultiple == 1.5)
        let strategy = try MeanReversion()
        #expect(strategy.name == "mean_reversion" && !strategy.isFallback && strategy.barsNeeded == 20)
    }

    @Test func anOversoldCloseBelowTheBandGoesLong() throws {
        let strategy = try MeanReversion(configuration: small)
        // RSI2 = 18.75; band of 11, 10, 11, 8: mean 10, σ √1.5, lower 8.78 > 8; ATR2 = (2 + 4)/2 = 3.
        let signal = try #require(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 11, 10, 11, 8])))
        #expect(signal.direction == .long)
        #expect(signal.referencePrice == StrategyFixtures.price("8"))
        #expect(signal.stopLoss == StrategyFixtures.price("3.5"))     // 8 − 1.5 × 3
        #expect(signal.takeProfit == StrategyFixtures.price("10"))    // the mean
        // (30 − 18.75)/30 = 0.375 of the way to RSI 0: 0.5 + 0.4 × 0.375.
        #expect(abs(signal.confidence - 0.65) < 1e-9)
    }

    @Test func anOverboughtCloseAboveTheBandGoesShort() throws {
        let strategy = try MeanReversion(configuration: small)
        let signal = try #require(strategy.evaluate(try StrategyFixtures.bars(closes: [10, 9, 10, 9, 12])))
        #expect(signal.direction == .short)
        #expect(signal.stopLoss == StrategyFixtures.price("16.5"))    // 12 + 1.5 × 3
        #expect(signal.takeProfit == StrategyFixtures.price("10"))
        #expect(abs(signal.confidence - 0.65) < 1e-9)
    }

    @Test func bothConditionsAreNeeded() throws {
        let oversold = try StrategyFixtures.bars(closes: [10, 11, 10, 11, 8])
        // RSI 18.75 is not below 15.
        var strict = small
        strict.oversold = 15
        #expect(try MeanReversion(configuration: strict).evaluate(oversold) == nil)
        // A 3σ band puts the lower band at 6.33, under the close of 8.
        var wide = small
        wide.bandWidth = 3
        #expect(try MeanReversion(configuration: wide).evaluate(oversold) == nil)
        // Inside the band and RSI neutral.
        #expect(try MeanReversion(configuration: small).evaluate(StrategyFixtures.bars(closes: [10, 11, 10, 11, 10])) == nil)
    }

    @Test func confidenceIsClampedToItsRange() throws {
        // Only falling closes: RSI 0, the most extreme reading.
        let signal = try #require(try MeanReversion(configuration: small).evaluate(StrategyFixtures.bars(closes: [14, 13, 12, 11, 8])))
        #expect(signal.direction == .long && signal.confidence == MeanReversion.maximumConfidence)
        let rising = try #require(try MeanReversion(configuration: small).evaluate(StrategyFixtures.bars(closes: [8, 9, 10, 11, 14])))
        #expect(rising.direction == .short && rising.confidence == MeanReversion.maximumConfidence)
    }

    @Test func tooFewBarsOrAnImpossibleStopHold() throws {
        let strategy = try MeanReversion(configuration: small)
        #expect(strategy.barsNeeded == 4)
        #expect(strategy.evaluate(try StrategyFixtures.bars(closes: [11, 10, 8])) == nil)
        #expect(strategy.evaluate([]) == nil)
        var far = small
        far.stopATRMultiple = 3  // 8 − 3 × 3 < 0
        #expect(try MeanReversion(configuration: far).evaluate(StrategyFixtures.bars(closes: [10, 11, 10, 11, 8])) == nil)
    }

    @Test func defaultConfigurationFadesASharpDrop() throws {
        let strategy = try MeanReversion()
        let calm = (0..<30).map { 100 + ($0 % 2 == 0 ? 0.5 : -0.5) }
        let drop = try StrategyFixtures.bars(closes: calm + [99, 98, 97, 96, 95, 94, 92], wick: 0.2)
        let signal = try #require(strategy.evaluate(drop))
        StrategyFixtures.expectWellFormed(signal, for: strategy, reference: drop[drop.count - 1].close, confidence: 0.5...0.9)
        #expect(signal.direction == .long)
        let spike = try StrategyFixtures.bars(closes: calm + [101, 102, 103, 104, 105, 106, 108], wick: 0.2)
        #expect(try #require(strategy.evaluate(spike)).direction == .short)
    }

    @Test(arguments: [
        MeanReversion.Configuration(rsiPeriod: 0),
        MeanReversion.Configuration(bandPeriod: 1),
        MeanReversion.Configuration(atrPeriod: 0),
        MeanReversion.Configuration(oversold: 0),
        MeanReversion.Configuration(oversold: 70, overbought: 70),
        MeanReversion.Configuration(overbought: 100),
        MeanReversion.Configuration(oversold: .nan),
        MeanReversion.Configuration(bandWidth: 0),
        MeanReversion.Configuration(stopATRMultiple: -1.5),
        MeanReversion.Configuration(stopATRMultiple: .infinity),
    ])
    func invalidConfigurationsAreRejected(_ configuration: MeanReversion.Configuration) {
        #expect(throws: StrategyConfigurationError.self) { try MeanReversion(configuration: configuration) }
    }

    @Test(.enabled(if: StrategyFixtures.hasKlines, "needs ../shared/data"))
    func everySignalOnRealKlinesIsWellFormed() async throws {
        let strategy = try MeanReversion()
        var total = 0
        for path in [StrategyFixtures.btcMayPath, StrategyFixtures.xrpMayPath] {
            let signals = try await OffPool.run {
                StrategyFixtures.signals(of: strategy, over: try StrategyFixtures.klines(path, limit: 10_000), window: 60, confidence: 0.5...0.9)
            }
            #expect(signals.contains { $0.direction == .long } && signals.contains { $0.direction == .short })
            total += signals.count
        }
        #expect(total > 10)
    }
}
