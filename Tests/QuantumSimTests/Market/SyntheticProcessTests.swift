import Foundation
import QuantumCore
import QuantumSim
import Testing

/// The regimes behave as named, checked by running the feed in one regime at a time.
@Suite(.timeLimit(.minutes(3))) struct SyntheticProcessTests {
    private func closes(only regime: SyntheticFeed.Regime, seed: UInt64, minutes: Int = 3_000,
                        change: (inout SyntheticFeed.Configuration) -> Void = { _ in }) throws -> [Double] {
        var configuration = SyntheticFeed.Configuration(instruments: [.btcusdt], seed: seed,
                                                        startTime: EpochMillis(0), step: .seconds(60))
        for key in SyntheticFeed.Regime.allCases where key != regime { configuration.regimes[key]?.weight = 0 }
        change(&configuration)
        var feed = try SyntheticFeed(configuration)
        return (0...minutes).compactMap { _ in feed.next()?.lastPrice.doubleValue }
    }

    @Test func aSingleRegimeKeepsTheCalibratedVolatility() throws {
        // With one regime the normalisation divides its multiplier out again.
        for regime in [SyntheticFeed.Regime.chop, .volatilitySpike] {
            let sigma = FeedFixtures.logReturnDeviation(try closes(only: regime, seed: 9))
            #expect(abs(sigma / SyntheticFeed.Instrument.btcusdt.oneMinuteVolatility - 1) < 0.1)
        }
    }

    @Test func trendsDrift() throws {
        var moves: [Double] = []
        for seed in UInt64(1)...20 {
            let path = try closes(only: .trend, seed: seed, minutes: 200) {
                $0.trendDrift = 1...1
                $0.regimes[.trend]?.meanMinutes = 10_000_000
            }
            moves.append(abs(log(path[path.count - 1] / path[0])))
        }
        // A drift of 1σ a minute moves 200σ in 200 minutes; noise alone would move about 14σ.
        let sigma = SyntheticFeed.Instrument.btcusdt.oneMinuteVolatility
        #expect(moves.allSatisfy { $0 > 150 * sigma })
    }

    @Test func meanReversionStaysNearItsAnchor() throws {
        let reverting = try closes(only: .meanReversion, seed: 4) {
            $0.reversionSpeed = 0.5
            $0.regimes[.meanReversion]?.meanMinutes = 100_000
        }
        let chop = try closes(only: .chop, seed: 4) { $0.regimes[.chop]?.meanMinutes = 100_000 }
        func spread(_ path: [Double]) -> Double { log(path.max()! / path.min()!) }
        #expect(spread(reverting) < spread(chop) / 3)
    }
}
