import Logging
import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import Synchronization
import Testing

/// A paced replay waits for market-state, signal-bot and the plan pipeline, and never for ever.
@Suite(.timeLimit(.minutes(3))) struct MarketPacerTests {
    private static let btc = Symbol(rawValue: "BTCUSDT")!
    private static let close = EpochMillis(1_750_000_079_999)

    private func pacer(stages: [MarketWatermarks.Stage] = [.marketState, .signals],
                       _ configure: (inout MarketPacer.Configuration) -> Void = { _ in }) -> (MarketPacer, InMemoryEventLog) {
        let log = InMemoryEventLog(clock: ManualEpochClock())
        var configuration = MarketPacer.Configuration()
        configuration.maximumWait = .seconds(600)
        configuration.stallLimit = .seconds(600)
        configure(&configuration)
        let watermarks = MarketWatermarks()
        for stage in stages { watermarks.expect(stage) }
        return (MarketPacer(watermarks: watermarks, log: log, configuration: configuration, logger: Logger(label: "test")), log)
    }

    /// Exits decided on a bar's close must go out before the market moves, or their fill depends on the race.
    @Test func theExitServicesJudgingTheBarHoldTheMarketWhenTheyRun() async throws {
        let (pacer, _) = pacer(stages: MarketWatermarks.Stage.allCases)
        for stage in [MarketWatermarks.Stage.marketState, .signals, .exits] { pacer.watermarks.advance(stage, Self.btc, to: Self.close) }
        #expect(await !pacer.standing([Self.btc: Self.close]).caughtUp, "harvest has not judged the bar")
        pacer.watermarks.advance(.harvest, Self.btc, to: Self.close)
        #expect(await pacer.standing([Self.btc: Self.close]).caughtUp)
        // A stage whose service does not run here is not waited for.
        let (alone, _) = self.pacer(stages: [.marketState])
        alone.watermarks.advance(.marketState, Self.btc, to: Self.close)
        #expect(await alone.standing([Self.btc: Self.close]).caughtUp)
    }

    @Test func theMarketWaitsUntilBothStagesHandledTheBar() async throws {
        let (pacer, _) = pacer()
        let done = Mutex(false)
        let waiting = Task {
            await pacer.awaitCaughtUp([Self.btc: Self.close])
            done.withLock { $0 = true }
        }
        #expect(await !pacer.standing([Self.btc: Self.close]).caughtUp)
        pacer.watermarks.advance(.marketState, Self.btc, to: Self.close)
        #expect(await !pacer.standing([Self.btc: Self.close]).caughtUp)
        #expect(!done.withLock { $0 })
        pacer.watermarks.advance(.signals, Self.btc, to: Self.close)
        await waiting.value
        #expect(done.withLock { $0 })
    }

    @Test func intentsAndPlansNotYetHandledHoldTheMarket() async throws {
        let (pacer, log) = pacer()
        pacer.watermarks.advance(.marketState, Self.btc, to: Self.close)
        pacer.watermarks.advance(.signals, Self.btc, to: Self.close)
        try await log.createGroup(StreamName.plan, group: GroupName.applyLayer, start: .tail)
        _ = try await log.append(StreamName.plan, fields: ["type": "apply.plan"])
        #expect(await !pacer.standing([Self.btc: Self.close]).caughtUp)
        // Delivered is not enough: the plan is handled when it is acknowledged.
        let delivered = try await log.readNew(StreamName.plan, group: GroupName.applyLayer, consumer: "a", count: 10, wait: nil)
        #expect(await !pacer.standing([Self.btc: Self.close]).caughtUp)
        _ = try await log.acknowledge(StreamName.plan, group: GroupName.applyLayer, ids: delivered.map(\.entry.id))
        #expect(await pacer.standing([Self.btc: Self.close]).caughtUp)
        await pacer.awaitCaughtUp([Self.btc: Self.close])
    }

    /// A stop the exchange filled on a tick holds the market until the system's record of the position agrees: gone when
    /// the exchange is flat, the same size and side otherwise.
    @Test func aFillTheExchangeMadeHoldsTheMarketUntilThePositionRecordAgrees() async throws {
        let (pacer, _) = pacer()
        let store = InMemoryStateStore(clock: ManualEpochClock())
        let record = PositionRecord(
            symbol: Self.btc, side: .short, quantity: Quantity("0.5")!, peakQuantity: Quantity("0.5")!, entryPrice: Price("100000")!,
            leverage: Leverage(rawValue: 5)!, stopLoss: Price("102000")!, takeProfit: nil, initialRisk: Price("2000")!, epoch: .first,
            openedAt: EpochMillis(1), updatedAt: EpochMillis(1))
        try await store.setFields(StateKey.position(Self.btc), record.encoded())
        await pacer.awaitSettled([Self.btc: Quantity("-0.5")!], in: store)
        #expect(await MarketPacer.records(Quantity("-0.5")!, of: Self.btc, in: store))
        #expect(await !MarketPacer.records(Quantity("0.5")!, of: Self.btc, in: store), "the other side")
        #expect(await !MarketPacer.records(.zero, of: Self.btc, in: store))
        let done = Mutex(false)
        let waiting = Task {
            await pacer.awaitSettled([Self.btc: .zero], in: store)
            done.withLock { $0 = true }
        }
        #expect(!done.withLock { $0 })
        _ = try await store.delete(StateKey.position(Self.btc))
        await waiting.value
        #expect(done.withLock { $0 })
    }

    @Test func aSystemThatMakesNoProgressReleasesTheMarketAfterTheStallLimit() async throws {
        let (pacer, _) = pacer { $0.stallLimit = .milliseconds(20) }
        // Nothing ever handles the bar (a crashed service): the wait ends by itself.
        await pacer.awaitCaughtUp([Self.btc: Self.close])
        #expect(await !pacer.standing([Self.btc: Self.close]).caughtUp)
    }

    @Test func aPinnedClockWaitsAtItsCeilingAndSleepersWakeWhenItMoves() async throws {
        let origin = EpochMillis(1_750_000_000_000)
        let clock = ScaledEpochClock(factor: 100_000, origin: origin, pinned: true)
        #expect(clock.now() == origin && clock.isWaitingAtCeiling)
        // (An absolute deadline: the task may start after the clock has moved.)
        let sleeper = Task { try await clock.sleep(until: origin.advanced(by: .seconds(30))) }
        // Allowed 20 s: the clock gets there and waits; the 30 s sleeper still sleeps.
        clock.allow(until: origin.advanced(by: .seconds(20)))
        try await clock.sleep(until: origin.advanced(by: .seconds(20)))
        #expect(clock.now() == origin.advanced(by: .seconds(20)) && clock.isWaitingAtCeiling)
        // Allowed on: the sleeper wakes once 30 s have passed, and the clock never goes past its ceiling.
        clock.allow(until: origin.advanced(by: .seconds(40)))
        try await sleeper.value
        #expect(clock.now() >= origin.advanced(by: .seconds(30)) && clock.now() <= origin.advanced(by: .seconds(40)))
        // Sleeping until exactly the ceiling ends there, however the clock's fractions fall.
        clock.allow(until: origin.advanced(by: .seconds(50)))
        try await clock.sleep(until: origin.advanced(by: .seconds(50)))
        #expect(clock.now() == origin.advanced(by: .seconds(50)))
        // A ceiling is never lowered; unpinned, the clock runs freely from where it stands.
        clock.allow(until: origin)
        #expect(clock.now() >= origin.advanced(by: .seconds(50)))
        clock.unpin()
        try await clock.sleep(for: .seconds(60))
        #expect(clock.now() >= origin.advanced(by: .seconds(110)))
    }

    /// `--speed max`: market time stands exactly where the feed last allowed it, whatever real time passes, and a
    /// sleeper wakes only when an allowance reaches its deadline.
    @Test func aSteppedClockMovesOnlyWhenAllowedAndRunsOnOnceUnpinned() async throws {
        let origin = EpochMillis(1_750_000_000_000)
        let clock = ScaledEpochClock(factor: .infinity, origin: origin, pinned: true)
        #expect(clock.isStepped && clock.now() == origin && clock.isWaitingAtCeiling)
        let sleeper = Task { try await clock.sleep(until: origin.advanced(by: .seconds(90))) }
        clock.allow(until: origin.advanced(by: .seconds(60)))
        #expect(clock.now() == origin.advanced(by: .seconds(60)), "a step lands at once")
        try await Task.sleep(for: .milliseconds(20))
        #expect(clock.now() == origin.advanced(by: .seconds(60)), "real time does not move it")
        clock.allow(until: origin.advanced(by: .seconds(120)))
        try await sleeper.value
        #expect(clock.now() == origin.advanced(by: .seconds(120)))
        // Past the recorded market, time passes at `steppedAfterFeed`.
        clock.unpin()
        try await clock.sleep(for: .seconds(3))
        #expect(clock.now() >= origin.advanced(by: .seconds(123)))
    }
}
