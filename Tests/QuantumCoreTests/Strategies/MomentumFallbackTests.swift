import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct MomentumFallbackTests {
    /// Bars of `interval` whose close moves linearly from `first` to `last` over exactly 24 h.
    private func day(from first: Double, to last: Double, interval: KlineInterval) throws -> [Bar] {
        let count = Int(86_400_000 / interval.milliseconds) + 1
        let closes = (0..<count).map { first + (last - first) * Double($0) / Double(count - 1) }
        return try StrategyFixtures.bars(closes: closes, interval: interval, wick: 0)
    }

    @Test func defaultsAreTheDocumentedOnes() throws {
        let c = MomentumFallback.Configuration()
        #expect(c.barInterval == .oneMinute && c.thresholdPercent == 1)
        #expect(c.stopPercent == 2 && c.targetPercent == 3 && c.maximumConfidence == 0.8)
        let strategy = try MomentumFallback()
        #expect(strategy.name == "momentum_24h_fallback" && strategy.isFallback && strategy.barsNeeded == 1_441)
        #expect(try MomentumFallback(configuration: .init(barInterval: .fiveMinutes)).barsNeeded == 289)
        #expect(try MomentumFallback(configuration: .init(barInterval: .oneHour)).barsNeeded == 25)
    }

    @Test(arguments: [KlineInterval.oneMinute, .fiveMinutes, .oneHour])
    func aRiseOverThreePercentGoesLong(_ interval: KlineInterval) throws {
        let bars = try day(from: 100, to: 103, interval: interval)
        let signal = try #require(try MomentumFallback().evaluate(bars))
        #expect(signal.direction == .long && signal.isFallback && signal.strategy == "momentum_24h_fallback")
        #expect(abs(signal.confidence - 0.53) < 1e-9)                  // 0.5 + 3/100
        #expect(signal.referencePrice == StrategyFixtures.price("103"))
        #expect(signal.stopLoss == StrategyFixtures.price("100.94"))   // 2 % below
        #expect(signal.takeProfit == StrategyFixtures.price("106.09")) // 3 % above
    }

    @Test(arguments: [KlineInterval.oneMinute, .fiveMinutes, .oneHour])
    func aFallGoesShortWithTheLevelsOnTheShortSides(_ interval: KlineInterval) throws {
        // The original put a short's stop below and its target above the price; not any more.
        let signal = try #require(try MomentumFallback().evaluate(day(from: 100, to: 98, interval: interval)))
        #expect(signal.direction == .short)
        #expect(abs(signal.confidence - 0.52) < 1e-9)
        #expect(signal.stopLoss == StrategyFixtures.price("99.96"))    // 2 % above 98
        #expect(signal.takeProfit == StrategyFixtures.price("95.06"))  // 3 % below 98
    }

    @Test func smallMovesHold() throws {
        let strategy = try MomentumFallback()
        #expect(strategy.evaluate(try day(from: 100, to: 101, interval: .oneHour)) == nil)     // exactly +1 %
        #expect(strategy.evaluate(try day(from: 100, to: 99, interval: .oneHour)) == nil)      // exactly −1 %
        #expect(strategy.evaluate(try day(from: 100, to: 100.5, interval: .oneHour)) == nil)
        #expect(strategy.evaluate(try day(from: 100, to: 101.01, interval: .oneHour)) != nil)
    }

    @Test func confidenceIsCapped() throws {
        let signal = try #require(try MomentumFallback().evaluate(day(from: 100, to: 150, interval: .oneHour)))
        #expect(signal.confidence == 0.8)
        let crash = try #require(try MomentumFallback().evaluate(day(from: 100, to: 50, interval: .oneHour)))
        #expect(crash.direction == .short && crash.confidence == 0.8)
    }

    @Test func theChangeIsMeasuredFromTheBarThatClosed24HoursEarlier() throws {
        // 48 hourly bars: only the bar 24 h before the last one matters.
        var closes = [Double](repeating: 100, count: 48)
        closes[23] = 90  // 24 h before bar 47: +11.1 %
        closes[47] = 100
        let bars = try StrategyFixtures.bars(closes: closes, interval: .oneHour, wick: 0)
        let signal = try #require(try MomentumFallback().evaluate(bars))
        #expect(signal.direction == .long && abs(signal.confidence - (0.5 + 100.0 / 9 / 100)) < 1e-9)
    }

    @Test func historyShorterThan24HoursOrWithAGapHolds() throws {
        let strategy = try MomentumFallback()
        let full = try day(from: 100, to: 110, interval: .oneHour)
        #expect(strategy.evaluate(full) != nil)
        #expect(strategy.evaluate(Array(full.dropFirst())) == nil)  // 23 h of history
        #expect(strategy.evaluate([]) == nil)
        #expect(strategy.evaluate(Array(full.suffix(1))) == nil)
        // Two days with the bar 24 h back missing: the nearest earlier close is an hour too old.
        var gapped = try StrategyFixtures.bars(closes: (0..<49).map { 100 + Double($0) / 4 }, interval: .oneHour, wick: 0)
        gapped.remove(at: 24)
        #expect(strategy.evaluate(gapped) == nil)
    }

    @Test(arguments: [
        MomentumFallback.Configuration(thresholdPercent: -1),
        MomentumFallback.Configuration(thresholdPercent: .nan),
        MomentumFallback.Configuration(stopPercent: 0),
        MomentumFallback.Configuration(stopPercent: 100),
        MomentumFallback.Configuration(targetPercent: -3),
        MomentumFallback.Configuration(targetPercent: .infinity),
        MomentumFallback.Configuration(maximumConfidence: 0.4),
        MomentumFallback.Configuration(maximumConfidence: 1.1),
    ])
    func invalidConfigurationsAreRejected(_ configuration: MomentumFallback.Configuration) {
        #expect(throws: StrategyConfigurationError.self) { try MomentumFallback(configuration: configuration) }
    }

    @Test(.enabled(if: StrategyFixtures.hasKlines, "needs ../shared/data"))
    func everySignalOnRealKlinesIsWellFormed() async throws {
        let strategy = try MomentumFallback()
        var total = 0
        for path in [StrategyFixtures.btcMayPath, StrategyFixtures.xrpMayPath] {
            let signals = try await OffPool.run {
                StrategyFixtures.signals(of: strategy, over: try StrategyFixtures.klines(path), window: strategy.barsNeeded, stride: 30,
                                         confidence: 0.5...0.8)
            }
            let allFallback = signals.allSatisfy(\.isFallback)
            #expect(allFallback)
            total += signals.count
        }
        #expect(total > 100)
    }
}
