import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct MarketStateTests {
    @Test func warmsUpThenReportsNormalisedProbabilities() throws {
        var estimator = MarketStateEstimator()
        var reported: MarketState?
        for (i, close) in try SharedData.closes("binance_um_futures/klines_1m/BTCUSDT_1m_20250504-20250603.csv", limit: 2_000).enumerated() {
            let state = estimator.update(close: try Price(parsing: close))
            if i < 20 { #expect(state == nil) }
            if let state { reported = state }
        }
        let state = try #require(reported)
        #expect(abs(state.pTrend + state.pMR + state.pChop - 1) < 1e-9)
        // BTC 1-minute returns: volatility of a few basis points per bar.
        #expect(state.sigma > 0.0001 && state.sigma < 0.01)
        #expect(state.ts >= 0)
        #expect(state.bars == 2_000)
    }

    @Test func aSteadyTrendIsRecognised() throws {
        var estimator = MarketStateEstimator()
        var state: MarketState?
        var price = 100.0
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<200 {
            price *= 1.002 + Double.random(in: -0.0005...0.0005, using: &rng)
            state = estimator.update(close: try Price(approximating: price))
        }
        let s = try #require(state)
        #expect(s.mu > 0)
        #expect(s.pTrend > s.pChop && s.pTrend > s.pMR)
    }

    @Test func aRangeIsNotATrend() throws {
        var estimator = MarketStateEstimator()
        var state: MarketState?
        var rng = SeededGenerator(seed: 11)
        for i in 0..<300 {
            let price = 100 + (i % 2 == 0 ? 0.5 : -0.5) + Double.random(in: -0.05...0.05, using: &rng)
            state = estimator.update(close: try Price(approximating: price))
        }
        let s = try #require(state)
        #expect(s.pTrend < 0.3)
        #expect(s.pMR > s.pTrend)
    }

    @Test func isDeterministicAndIgnoresBadPrices() throws {
        let closes = try SharedData.closes("binance_um_futures/klines_5m/ETHUSDT_5m_20250306-20250413.csv", limit: 500)
        var a = MarketStateEstimator(), b = MarketStateEstimator()
        var lastA: MarketState?, lastB: MarketState?
        for close in closes {
            lastA = a.update(close: try Price(parsing: close)) ?? lastA
            lastB = b.update(close: try Price(parsing: close)) ?? lastB
            #expect(b.update(close: .zero) == nil)
        }
        #expect(lastA == lastB)
    }
}
