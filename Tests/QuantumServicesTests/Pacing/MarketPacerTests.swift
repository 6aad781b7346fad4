import Logging
import QuantumBus
import QuantumCore
import QuantumServices
import QuantumTestSupport
import Testing

/// A paced replay waits for market-state, signal-bot and the plan pipeline, and never for ever.
@Suite struct MarketPacerTests {
    private static let btc = Symbol(rawValue: "BTCUSDT")!
    private static let close = EpochMillis(1_750_000_079_999)

    private func pacer(_ configure: (inout MarketPacer.Configuration) -> Void = { _ in }) -> (MarketPacer, InMemoryEventLog) {
        let clock = ScaledEpochClock(factor: 1_000, slowFactor: 10)
        let log = InMemoryEventLog(clock: clock)
        var configuration = MarketPacer.Configuration()
        configuration.maximumWait = .seconds(600)
        configuration.stallLimit = .seconds(600)
        configure(&configuration)
        return (MarketPacer(clock: clock, watermarks: MarketWatermarks(), log: log, configuration: configuration,
                            logger: Logger(label: "test")), log)
    }

    /// Waits (yielding) until `condition` holds.
    private func until(_ condition: () -> Bool) async {
        while !condition() { await Task.yield() }
    }

    @Test func theMarketWaitsOnASlowClockUntilBothStagesHandledTheBar() async throws {
        let (pacer, _) = pacer()
        let waiting = Task { await pacer.awaitCaughtUp([Self.btc: Self.close]) }
        await until { pacer.clock.isHeld }
        pacer.watermarks.advance(.marketState, Self.btc, to: Self.close)
        #expect(pacer.clock.isHeld)
        pacer.watermarks.advance(.signals, Self.btc, to: Self.close)
        await waiting.value
        #expect(!pacer.clock.isHeld)
    }

    @Test func intentsAndPlansNotYetHandledHoldTheMarket() async throws {
        let (pacer, log) = pacer()
        pacer.watermarks.advance(.marketState, Self.btc, to: Self.close)
        pacer.watermarks.advance(.signals, Self.btc, to: Self.close)
        try await log.createGroup(StreamName.plan, group: GroupName.applyLayer, start: .tail)
        _ = try await log.append(StreamName.plan, fields: ["type": "apply.plan"])
        let waiting = Task { await pacer.awaitCaughtUp([Self.btc: Self.close]) }
        await until { pacer.clock.isHeld }
        // Delivered is not enough: the plan is handled when it is acknowledged.
        let delivered = try await log.readNew(StreamName.plan, group: GroupName.applyLayer, consumer: "a", count: 10, wait: nil)
        #expect(pacer.clock.isHeld)
        _ = try await log.acknowledge(StreamName.plan, group: GroupName.applyLayer, ids: delivered.map(\.entry.id))
        await waiting.value
        #expect(!pacer.clock.isHeld)
    }

    @Test func aSystemThatMakesNoProgressReleasesTheMarketAfterTheStallLimit() async throws {
        let (pacer, _) = pacer { $0.stallLimit = .milliseconds(20) }
        // Nothing ever handles the bar (a crashed service): the wait ends by itself and the clock runs at full speed.
        await pacer.awaitCaughtUp([Self.btc: Self.close])
        #expect(!pacer.clock.isHeld)
    }

    @Test func aHeldClockRunsSlowAndSleepsStillEnd() async throws {
        let clock = ScaledEpochClock(factor: 100_000, slowFactor: 1_000)
        clock.hold()
        clock.hold()
        clock.release()
        #expect(clock.isHeld)
        let before = clock.now()
        // 1 s of market time at 1000× is about 1 ms of real time: the sleep ends although the clock is held.
        try await clock.sleep(for: .seconds(1))
        #expect(clock.now().duration(since: before) >= .seconds(1))
        clock.release()
        #expect(!clock.isHeld)
    }
}
