import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct KillScoreTests {
    @Test func reproducesTheSeedNumbers() {
        // seed-system §0.2 and §3.5: z = 0.8·1 + 0.6·0 + 0.4·0.241594 + 0.2·0.041667 = 0.90497, K = 0.71197.
        let kernel = KillScore(configuration: .seedPolicy)
        let result = kernel.evaluate(.init(regimeFlip: 1, sigmaSpike: 0, trendStrengthDrop: 0.241594, agePenalty: 0.041667))
        #expect(abs(result.z - 0.90497) < 0.000005)
        #expect(abs(result.score - 0.71197) < 0.000005)
        #expect(result.shouldClose)
        #expect(result.reasonCodes == ["kill_score_triggered", "regime_flip", "ts_drop"])
    }

    @Test func componentsFollowTheFormulas() {
        let kernel = KillScore()
        let state = MarketState(sigma: 0.025, mu: 0, ts: 0.058406, pTrend: 0.2, pMR: 0.3, pChop: 0.5, bars: 100)
        let c = kernel.components(state: state, age: .seconds(3_600))
        #expect(c.regimeFlip == 1)
        #expect(abs(c.sigmaSpike - 1.5) < 1e-12)
        #expect(abs(c.trendStrengthDrop - 0.241594) < 1e-12)
        #expect(abs(c.agePenalty - 0.041667) < 1e-6)
        // Caps: sigma spike at 2, ts drop at 0.5, age at 1.
        let extreme = kernel.components(state: MarketState(sigma: 1, mu: 0, ts: 0, pTrend: 0.9, pMR: 0.05, pChop: 0.05, bars: 1), age: .seconds(10 * 86_400))
        #expect(extreme == .init(regimeFlip: 0, sigmaSpike: 2, trendStrengthDrop: 0.3, agePenalty: 1))
    }

    @Test func aCalmTrendingYoungPositionIsKept() {
        let kernel = KillScore()
        let state = MarketState(sigma: 0.005, mu: 0.002, ts: 0.4, pTrend: 0.7, pMR: 0.1, pChop: 0.2, bars: 100)
        let result = kernel.evaluate(state: state, age: .seconds(60))
        #expect(!result.shouldClose)
        #expect(result.reasonCodes.isEmpty)
        #expect(result.score >= 0.5 && result.score < 0.6)
    }

    @Test func configurationIsValidated() {
        var config = KillScore.Configuration()
        #expect(config.validate().isEmpty)
        config.threshold = 0.5
        config.regimeFlipWeight = -1
        #expect(config.validate().count == 2)
    }
}
