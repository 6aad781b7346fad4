import Foundation
import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3)))
struct EMACrossTests {
    @Test func theAveragesAndATRFollowTheirFormulas() {
        var configuration = EMACross.Configuration()
        configuration.fast = 2
        configuration.slow = 4
        configuration.atrPeriod = 2
        var kernel = EMACross(configuration)
        _ = kernel.step(high: 11, low: 9, close: 10)
        #expect(kernel.fastAverage == 10 && kernel.slowAverage == 10 && kernel.averageTrueRange == 2)
        _ = kernel.step(high: 13, low: 11, close: 12)
        // EMA2: alpha 2/3 → 10 + 2/3 × 2; EMA4: alpha 2/5 → 10 + 2/5 × 2; TR = max(2, 3, 1) = 3, Wilder ½ → 2.5.
        #expect(abs(kernel.fastAverage - (10 + 4.0 / 3)) < 1e-12)
        #expect(abs(kernel.slowAverage - 10.8) < 1e-12)
        #expect(kernel.averageTrueRange == 2.5)
    }

    @Test func crossesComeOnlyFromTheWarmUpOnAndBothWays() {
        var configuration = EMACross.Configuration()
        configuration.fast = 1
        configuration.slow = 3
        configuration.warmUp = 3
        var kernel = EMACross(configuration)
        let closes: [Double] = [10, 12, 13, 14, 9, 8, 15]
        let crosses = closes.map { kernel.step(high: $0 + 1, low: $0 - 1, close: $0) }
        // The rise on bar 1 would cross, but bar 1 is before the warm-up; bar 4 crosses down, bar 6 up.
        #expect(crosses == [nil, nil, nil, nil, .down, nil, .up])
    }

    @Test func theLiveStrategyOnItsSlidingWindowSignalsExactlyWhereTheKernelCrossesFromTheFirstBar() throws {
        let strategy = try EMACrossStrategy({
            var c = EMACross.Configuration()
            c.fast = 3
            c.slow = 8
            return c
        }())
        let closes = (0..<200).map { 100 + 8 * sin(Double($0) / 9) }
        let bars = try StrategyFixtures.bars(closes: closes)
        var kernel = EMACross(strategy.configuration)
        for end in bars.indices {
            let cross = kernel.step(high: bars[end].high.doubleValue, low: bars[end].low.doubleValue, close: bars[end].close.doubleValue)
            // The live bot's window: only the last barsNeeded bars.
            let signal = strategy.evaluate(Array(bars[max(0, end + 1 - strategy.barsNeeded)...end]))
            guard end + 1 >= strategy.barsNeeded else {
                #expect(signal == nil, "bar \(end): a signal before the window is full")
                continue
            }
            #expect((signal?.direction) == cross?.direction, "bar \(end)")
            if let signal {
                #expect(signal.direction == .long ? signal.stopLoss < signal.referencePrice : signal.stopLoss > signal.referencePrice)
            }
        }
    }

    @Test func aConfigurationThatCannotWorkIsRefused() {
        var configuration = EMACross.Configuration()
        configuration.fast = 50
        #expect(throws: StrategyConfigurationError.self) { try configuration.validated() }
        configuration.fast = 5
        configuration.stopATR = 0
        #expect(throws: StrategyConfigurationError.self) { try configuration.validated() }
    }
}
