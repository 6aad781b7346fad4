import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct StrategySignalTests {
    private let reference = Price(units: 100 * Price.one)

    private func signal(_ direction: Direction, stop: Double, target: Double, confidence: Double = 0.6) -> StrategySignal? {
        StrategySignal(
            direction: direction, confidence: confidence, strategy: "test", isFallback: false,
            referencePrice: reference, stopLevel: stop, targetLevel: target, rationale: "test"
        )
    }

    @Test func priceFromDoubleRoundsAsAsked() throws {
        #expect(try Price(approximating: 1.000000001, rounding: .down) == Price(units: 100_000_000))
        #expect(try Price(approximating: 1.000000001, rounding: .up) == Price(units: 100_000_001))
        #expect(try Price(approximating: -1.000000001, rounding: .down) == Price(units: -100_000_001))
        #expect(try Price(approximating: -1.000000001, rounding: .towardZero) == Price(units: -100_000_000))
        #expect(try Price(approximating: 1.000000006, rounding: .nearest) == Price(units: 100_000_001))
        // Floating-point noise is not a whole 10⁻⁸: 103 × 0.98 is 100.94.
        #expect(try Price(approximating: 103 * 0.98, rounding: .down) == Price(parsing: "100.94"))
        #expect(throws: MoneyError.self) { try Price(approximating: .nan, rounding: .up) }
        #expect(throws: MoneyError.self) { try Price(approximating: 1e12, rounding: .up) }
    }

    @Test func levelsRoundAwayFromTheReference() throws {
        let long = try #require(signal(.long, stop: 99.999999999, target: 100.000000001))
        #expect(long.stopLoss == Price(units: 100 * Price.one - 1))
        #expect(long.takeProfit == Price(units: 100 * Price.one + 1))
        let short = try #require(signal(.short, stop: 100.000000001, target: 99.999999999))
        #expect(short.stopLoss == Price(units: 100 * Price.one + 1))
        #expect(short.takeProfit == Price(units: 100 * Price.one - 1))
    }

    @Test func malformedSignalsAreRefused() {
        #expect(signal(.long, stop: 101, target: 105) == nil)
        #expect(signal(.long, stop: 95, target: 99) == nil)
        #expect(signal(.short, stop: 95, target: 90) == nil)
        #expect(signal(.short, stop: 105, target: 101) == nil)
        #expect(signal(.long, stop: 100, target: 105) == nil)
        #expect(signal(.long, stop: 100.0000000000001, target: 105) == nil)
        #expect(signal(.long, stop: -1, target: 105) == nil)
        #expect(signal(.short, stop: 105, target: 0) == nil)
        #expect(signal(.long, stop: .nan, target: 105) == nil)
        #expect(signal(.long, stop: 95, target: .infinity) == nil)
        #expect(signal(.long, stop: 95, target: 105, confidence: 1.01) == nil)
        #expect(signal(.long, stop: 95, target: 105, confidence: -0.1) == nil)
        #expect(signal(.long, stop: 95, target: 105, confidence: .nan) == nil)
        #expect(signal(.long, stop: 95, target: 105, confidence: 1) != nil)
    }
}
