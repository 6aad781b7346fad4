import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct IndicatorsTests {
    private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool { abs(a - b) <= tolerance }

    @Test func emaSeedsWithTheSimpleAverageThenSmooths() {
        // period 3: α = 0.5, seed mean(1, 2, 3) = 2, then 0.5·4 + 0.5·2 = 3, then 0.5·5 + 0.5·3 = 4.
        #expect(Indicators.ema([1, 2, 3, 4, 5], period: 3) == [2, 3, 4])
        // period 2: α = 2/3, seed 1.5, then 2/3·7 + 1/3·1.5 = 5.1666…
        let ema = Indicators.ema([1, 2, 7], period: 2)
        #expect(ema.count == 2 && ema[0] == 1.5 && close(ema[1], 31.0 / 6))
        #expect(Indicators.ema([4, 5, 6], period: 1) == [4, 5, 6])
    }

    @Test func emaOfTooFewValuesIsEmpty() {
        #expect(Indicators.ema([1, 2], period: 3).isEmpty)
        #expect(Indicators.ema([1, 2], period: 0).isEmpty)
        #expect(Indicators.ema([], period: 1).isEmpty)
    }

    /// Bars (high, low, close): (10, 8, 9), (12, 9, 11), (11.5, 10.5, 11), (15, 14, 14.5), (14, 12, 13).
    private func atrBars() throws -> [Bar] {
        let rows: [(Double, Double, Double)] = [(10, 8, 9), (12, 9, 11), (11.5, 10.5, 11), (15, 14, 14.5), (14, 12, 13)]
        return try rows.enumerated().map { i, row in
            Bar(openTime: EpochMillis(Int64(i) * 60_000), closeTime: EpochMillis(Int64(i) * 60_000 + 59_999),
                open: try Price(approximating: row.2), high: try Price(approximating: row.0),
                low: try Price(approximating: row.1), close: try Price(approximating: row.2), volume: .zero)
        }
    }

    @Test func trueRangeCoversGapsFromThePreviousClose() throws {
        // (12−9, |12−9|, |9−9|) → 3; (1, 0.5, 0.5) → 1; gap up: (1, |15−11|, |14−11|) → 4; (2, 0.5, 2.5) → 2.5.
        #expect(Indicators.trueRanges(try atrBars()) == [3, 1, 4, 2.5])
        #expect(Indicators.trueRanges(Array(try atrBars().prefix(1))).isEmpty)
    }

    @Test func atrUsesWilderSmoothing() throws {
        let bars = try atrBars()
        // period 2: seed (3 + 1)/2 = 2, then (2 + 4)/2 = 3, then (3 + 2.5)/2 = 2.75.
        #expect(Indicators.atr(bars, period: 2) == 2.75)
        // period 3: seed 8/3, then (8/3·2 + 2.5)/3 = 47/18.
        #expect(close(try #require(Indicators.atr(bars, period: 3)), 47.0 / 18))
        // period 4 needs 5 bars: the mean of all four true ranges.
        #expect(Indicators.atr(bars, period: 4) == 2.625)
        #expect(Indicators.atr(bars, period: 5) == nil)
        #expect(Indicators.atr(bars, period: 0) == nil)
    }

    @Test func rsiUsesWilderSmoothing() throws {
        // Changes 1, −0.5, 1, 0.5. Gains: seed 0.5, then 0.75, then 0.625. Losses: seed 0.25, 0.125, 0.0625.
        // RS = 10, RSI = 100 − 100/11.
        let rsi = try #require(Indicators.rsi([10, 11, 10.5, 11.5, 12], period: 2))
        #expect(close(rsi, 100 - 100.0 / 11))
        // Changes 1, −1, 1, −3 (period 2): gains 0.375, losses 1.625, RSI = 18.75.
        #expect(close(try #require(Indicators.rsi([10, 11, 10, 11, 8], period: 2)), 18.75))
    }

    @Test func rsiEdgeCases() {
        #expect(Indicators.rsi([1, 2, 3, 4], period: 3) == 100)
        #expect(Indicators.rsi([4, 3, 2, 1], period: 3) == 0)
        #expect(Indicators.rsi([5, 5, 5, 5], period: 3) == 50)
        #expect(Indicators.rsi([1, 2, 3], period: 3) == nil)
        #expect(Indicators.rsi([1, 2, 3], period: 0) == nil)
    }

    @Test func bollingerUsesThePopulationDeviationOfTheLastWindow() throws {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population σ 2.
        let bands = try #require(Indicators.bollinger([100, 2, 4, 4, 4, 5, 5, 7, 9], period: 8, width: 2))
        #expect(bands.lower == 1 && bands.middle == 5 && bands.upper == 9)
        let flat = try #require(Indicators.bollinger([3, 3, 3], period: 3, width: 2))
        #expect(flat.lower == 3 && flat.middle == 3 && flat.upper == 3)
        #expect(Indicators.bollinger([1, 2], period: 3, width: 2) == nil)
    }
}
