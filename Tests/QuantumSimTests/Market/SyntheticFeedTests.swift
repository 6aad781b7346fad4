import Foundation
import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct SyntheticFeedTests {
    private let start = EpochMillis(1_746_316_800_000)

    private func ticks(_ configuration: SyntheticFeed.Configuration, count: Int) throws -> [MarketTick] {
        var feed = try SyntheticFeed(configuration)
        return (0..<count).compactMap { _ in feed.next() }
    }

    /// The calibration behind `Instrument.btcusdt` and `.ethusdt`: σ of real 1-minute log returns.
    @Test func calibrationMatchesTheRealFiles() throws {
        let btc = FeedFixtures.logReturnDeviation(try #require(FeedFixtures.btcMay).map(\.close.doubleValue))
        let eth = FeedFixtures.logReturnDeviation(try #require(FeedFixtures.ethMay).map(\.close.doubleValue))
        print(String(format: "BTCUSDT 1m σ = %.4f%% (%@), ETHUSDT 1m σ = %.4f%% (%@)",
                     btc * 100, FeedFixtures.btcMayPath, eth * 100, FeedFixtures.ethMayPath))
        #expect(abs(btc / SyntheticFeed.Instrument.btcusdt.oneMinuteVolatility - 1) < 0.01)
        #expect(abs(eth / SyntheticFeed.Instrument.ethusdt.oneMinuteVolatility - 1) < 0.01)
    }

    @Test func sameSeedSameTicksOtherSeedOtherTicks() throws {
        let a = try ticks(.init(seed: 7, startTime: start), count: 5_000)
        let b = try ticks(.init(seed: 7, startTime: start), count: 5_000)
        let c = try ticks(.init(seed: 8, startTime: start), count: 5_000)
        #expect(a == b)
        #expect(a != c)
        #expect(a[0].lastPrice == SyntheticFeed.Instrument.btcusdt.startPrice)
        #expect(a[1].lastPrice == SyntheticFeed.Instrument.ethusdt.startPrice)
        #expect(a.last?.lastPrice != c.last?.lastPrice)
    }

    /// Flash moves: one-tick jumps far beyond the noise (gaps through any stop), about as many as configured; off, the
    /// feed's ticks are the ones it always gave.
    @Test func flashMovesJumpInOneTickAndAreOffByDefault() throws {
        var configuration = SyntheticFeed.Configuration(instruments: [.btcusdt], seed: 5, startTime: start, step: .seconds(5))
        let plain = try ticks(configuration, count: 17_280)
        configuration.flashMovesPerDay = 20
        let flashing = try ticks(configuration, count: 17_280)  // one day of 5 s ticks
        let sigma = SyntheticFeed.Instrument.btcusdt.oneMinuteVolatility
        func jumps(_ ticks: [MarketTick]) -> Int {
            zip(ticks, ticks.dropFirst()).filter { abs(log($1.lastPrice.doubleValue / $0.lastPrice.doubleValue)) > 8 * sigma }.count
        }
        #expect(jumps(plain) == 0)
        #expect((10...35).contains(jumps(flashing)), "\(jumps(flashing)) jumps")
        configuration.flashMovesPerDay = 0
        #expect(try ticks(configuration, count: 17_280) == plain)
        configuration.flashMovesPerDay = -1
        #expect(throws: SyntheticFeedError.self) { try SyntheticFeed(configuration) }
    }

    @Test func addingASymbolChangesNoOther() throws {
        let both = try ticks(.init(seed: 3, startTime: start), count: 4_000).filter { $0.symbol == Symbol("BTCUSDT") }
        let alone = try ticks(.init(instruments: [.btcusdt], seed: 3, startTime: start), count: 2_000)
        #expect(both == alone)
    }

    @Test func ticksAreTimedBySymbolAndStepAndEndOnTime() throws {
        let configuration = SyntheticFeed.Configuration(seed: 1, startTime: start, step: .milliseconds(250),
                                                        endTime: EpochMillis(start.rawValue + 999))
        var feed = try SyntheticFeed(configuration)
        #expect(feed.symbols == [Symbol("BTCUSDT"), Symbol("ETHUSDT")])
        var all: [MarketTick] = []
        while let tick = feed.next() { all.append(tick) }
        #expect(all.map(\.time.rawValue) == [0, 0, 250, 250, 500, 500, 750, 750].map { start.rawValue + $0 })
        #expect(all.map(\.symbol.rawValue) == Array(repeating: ["BTCUSDT", "ETHUSDT"], count: 4).flatMap { $0 })
        #expect(feed.nextTime == nil)
    }

    @Test func pricesArePositiveOnTickAndMarkStaysNearLast() throws {
        let sample = try ticks(.init(seed: 11, startTime: start, step: .seconds(5)), count: 40_000)
        for tick in sample {
            let instrument = tick.symbol == Symbol("BTCUSDT") ? SyntheticFeed.Instrument.btcusdt : .ethusdt
            #expect(tick.lastPrice.isPositive && tick.lastPrice.isMultiple(of: instrument.tickSize))
            #expect(tick.markPrice.isPositive && tick.markPrice.isMultiple(of: instrument.tickSize))
            #expect(!tick.volume.isNegative && tick.volume.isMultiple(of: instrument.stepSize))
            #expect(abs(tick.markPrice.doubleValue / tick.lastPrice.doubleValue - 1) < 0.002)
        }
        #expect(sample.contains { $0.markPrice != $0.lastPrice })
        #expect(sample.contains { $0.volume.isPositive })
    }

    @Test func aTinyPriceNeverReachesZero() throws {
        let penny = SyntheticFeed.Instrument(symbol: Symbol("PENNYUSDT"), startPrice: FeedFixtures.price("0.0002"),
                                             tickSize: FeedFixtures.price("0.0001"), stepSize: FeedFixtures.quantity("1"),
                                             oneMinuteVolatility: 0.05, volumePerMinute: FeedFixtures.quantity("1000"))
        let sample = try ticks(.init(instruments: [penny], seed: 5, startTime: start, step: .seconds(60)), count: 20_000)
        #expect(sample.allSatisfy { $0.lastPrice >= penny.tickSize && $0.markPrice >= penny.tickSize })
    }

    /// Generated 1-minute returns over three weeks have the calibrated σ (within ×1.5), and every regime shows up.
    @Test func volatilityMatchesTheCalibrationAndEveryRegimeAppears() throws {
        let minutes = 30_000
        let stepsPerMinute = 6
        var feed = try SyntheticFeed(.init(seed: 2_025, startTime: start, step: .seconds(10)))
        var closes: [Symbol: [Double]] = [:]
        var seen: [Symbol: Set<SyntheticFeed.Regime>] = [:]
        for step in 0...(minutes * stepsPerMinute) {
            for _ in 0..<2 {
                guard let tick = feed.next() else { Issue.record("an endless feed ended"); return }
                if step % stepsPerMinute == 0 { closes[tick.symbol, default: []].append(tick.lastPrice.doubleValue) }
                if step % 60 == 0 { seen[tick.symbol, default: []].insert(try #require(feed.regime(of: tick.symbol))) }
            }
        }
        for instrument in [SyntheticFeed.Instrument.btcusdt, .ethusdt] {
            let measured = FeedFixtures.logReturnDeviation(try #require(closes[instrument.symbol]))
            let ratio = measured / instrument.oneMinuteVolatility
            print(String(format: "%@ synthetic 1m σ = %.4f%% (calibrated %.4f%%, ratio %.3f)",
                         instrument.symbol.rawValue, measured * 100, instrument.oneMinuteVolatility * 100, ratio))
            #expect(ratio > 1 / 1.5 && ratio < 1.5)
            #expect(seen[instrument.symbol] == Set(SyntheticFeed.Regime.allCases))
        }
    }

    @Test func badConfigurationsAreRefused() {
        func refused(_ change: (inout SyntheticFeed.Configuration) -> Void) -> Bool {
            var configuration = SyntheticFeed.Configuration(seed: 1, startTime: start)
            change(&configuration)
            do { _ = try SyntheticFeed(configuration); return false } catch { return error.code == .invalidConfiguration }
        }
        #expect(refused { $0.instruments = [] })
        #expect(refused { $0.instruments = [.btcusdt, .btcusdt] })
        #expect(refused { $0.instruments[0].tickSize = .zero })
        #expect(refused { $0.instruments[0].startPrice = .zero })
        #expect(refused { $0.instruments[0].oneMinuteVolatility = 0 })
        #expect(refused { $0.step = .zero })
        #expect(refused { $0.regimes[.chop] = nil })
        #expect(refused { $0.regimes[.chop]?.meanMinutes = 0 })
        #expect(refused { for key in SyntheticFeed.Regime.allCases { $0.regimes[key]?.weight = 0 } })
        #expect(refused { $0.markPremiumVolatility = -1 })
        #expect(!refused { _ in })
    }
}
