import QuantumCore
@testable import QuantumServices
import Testing

@Suite(.timeLimit(.minutes(3))) struct SignalBotTests {
    /// A strategy that always answers the same.
    struct Fixed: Strategy {
        var name: String
        var isFallback: Bool
        var barsNeeded: Int { 1 }
        var confidence: Double
        var direction: Direction = .long

        func evaluate(_ bars: [Bar]) -> StrategySignal? {
            let close = bars.last!.close
            let stop = direction == .long ? Price(units: close.units - 100) : Price(units: close.units + 100)
            let target = direction == .long ? Price(units: close.units + 200) : Price(units: close.units - 200)
            return StrategySignal(direction: direction, confidence: confidence, strategy: name, isFallback: isFallback,
                                  referencePrice: close, stopLoss: stop, takeProfit: target, rationale: "fixed")
        }
    }

    let bars = [Bar(openTime: EpochMillis(0), closeTime: EpochMillis(59_999), open: Price(units: 10_000_000_000), high: Price(units: 10_100_000_000),
                    low: Price(units: 9_900_000_000), close: Price(units: 10_000_000_000), volume: .zero)]

    @Test func theMostConfidentPrimarySignalAboveTheThresholdWins() {
        let bot = SignalBot(configuration: .init(minimumConfidence: 0.6, strategies: [
            Fixed(name: "a", isFallback: false, confidence: 0.65),
            Fixed(name: "b", isFallback: false, confidence: 0.8, direction: .short),
            Fixed(name: "fallback", isFallback: true, confidence: 0.9),
        ]))
        #expect(bot.signal(for: bars)?.strategy == "b")
    }

    @Test func theFallbackStandsInOnlyWhenNoPrimarySignals() {
        let bot = SignalBot(configuration: .init(minimumConfidence: 0.6, strategies: [
            Fixed(name: "weak", isFallback: false, confidence: 0.5),
            Fixed(name: "momentum_24h_fallback", isFallback: true, confidence: 0.7),
        ]))
        let signal = bot.signal(for: bars)
        #expect(signal?.strategy == "momentum_24h_fallback")
        #expect(signal?.isFallback == true)
    }

    @Test func nothingAboveTheThresholdMeansNoSignal() {
        let bot = SignalBot(configuration: .init(minimumConfidence: 0.9, strategies: [Fixed(name: "a", isFallback: false, confidence: 0.8)]))
        #expect(bot.signal(for: bars) == nil)
    }
}
