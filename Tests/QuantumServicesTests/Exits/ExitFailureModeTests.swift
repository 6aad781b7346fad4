import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import Testing

/// The exit-path failure modes of the seed system (FM-10, 16, 17, 18, 31), each reproduced and refuted.
@Suite(.timeLimit(.minutes(3))) struct ExitFailureModeTests {
    @Test func FM10_anExitIntentWithADriftedFieldNameIsDeadLetteredNotGuessed() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        let dead = try await StreamWatcher.start(f.log, InMemoryEventLog.deadLetterStream(for: StreamName.exitIntent))
        try await f.startExecutor()
        try await f.startBridge()
        try await ProtectiveStopTests.open(f, results)
        // The seed's harvest wrote `harvest_action` where the reader wanted `action`.
        let good = ExitIntent(intentID: "close-1", symbol: PipelineFixture.btc, action: .close, epoch: .first, reason: .killScore,
                              source: .exitBrain, createdAt: f.clock.now())
        var drifted = good.encoded()
        drifted["harvest_action"] = drifted.removeValue(forKey: "action")
        drifted["intent_id"] = "close-drifted"
        _ = try await f.log.append(StreamName.exitIntent, fields: drifted)
        let letter = try await dead.next()
        #expect(letter.values.contains { $0.contains("action") }, "\(letter)")
        #expect(try await f.position() != nil, "a malformed exit must not be guessed into an order")
        // The well-formed intent still closes the position.
        _ = try await f.log.append(StreamName.exitIntent, fields: good.encoded())
        #expect(try await results.result(PlanIdentity.close(PipelineFixture.btc, .first).planID).executed)
    }

    @Test func FM16_higherKillScoresNeverLowerTheChanceOfAnExit() {
        let brain = ExitBrain()
        let position = PositionRecord(
            symbol: PipelineFixture.btc, side: .long, quantity: Quantity("1")!, peakQuantity: Quantity("1")!, entryPrice: Price("100000")!,
            leverage: Leverage(rawValue: 5)!, stopLoss: Price("98000")!, takeProfit: Price("106000")!, initialRisk: Price("2000")!,
            epoch: .first, openedAt: EpochMillis(1_750_000_000_000), updatedAt: EpochMillis(1_750_000_000_000))
        var closedAt: Double?
        // Volatility rising step by step in a flipped regime: K rises monotonically; once it closes, it keeps closing.
        for step in 0...40 {
            let sigma = 0.002 + Double(step) * 0.001
            let state = MarketState(sigma: sigma, mu: 0, ts: 0.05, pTrend: 0.1, pMR: 0.4, pChop: 0.5, bars: 60)
            let decision = brain.decide(position: position, mark: Price("100100")!, state: state, now: EpochMillis(1_750_000_060_000))
            let k = decision.assessment.kill?.score ?? 0
            if case .close = decision {
                if closedAt == nil { closedAt = k }
            } else {
                #expect(closedAt == nil, "K \(k) held after a lower K \(closedAt ?? 0) closed")
            }
        }
        #expect(closedAt != nil)
    }

    @Test func FM17_FM18_everythingUnhealthyAtOnceStillLetsTheExitThrough() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await ProtectiveStopTests.open(f, results)
        // Kill switch on, a halted symbol, an unprotected position elsewhere, market state ten minutes stale,
        // no heartbeat from the signal-bot or anything else: every open gate is shut.
        try await KillSwitch(store: f.store).halt(reason: "incident", at: f.clock.now())
        try await f.store.setFields(StateKey.symbolHalt(PipelineFixture.btc), ["reason": "drift", "since": "1"])
        try await f.store.setFields(StateKey.unprotected, ["ETHUSDT": "1"])
        f.clock.advance(by: .seconds(600))
        let close = f.closePlan()
        try await f.send(close)
        let result = try await results.result(close.planID)
        #expect(result.executed)
        // Sized from a direct read of the exchange, not from a snapshot that may be stale (FM-18).
        #expect(result.execution?.filledQuantity == Quantity("0.01")!)
        #expect(try await f.exchangePosition() == .zero)
    }

    @Test func FM31_aLaggingResultConsumerLosesNothingToRetention() async throws {
        let clock = ManualEpochClock()
        let log = InMemoryEventLog(clock: clock)
        let bus = MessageBus(log: log, retention: 5)
        try await log.createGroup(StreamName.result, group: "doctor", start: .tail)
        for index in 0..<20 {
            let result = ApplyResult(planID: "close:BTCUSDT:e\(index + 1)", symbol: PipelineFixture.btc, action: .fullClose,
                                     decision: .skipped, reason: .noPosition, createdAt: clock.now())
            try await bus.publish(result, to: StreamName.result)
        }
        // Far beyond retention, yet every entry the group has not read is still there.
        #expect(try await log.length(StreamName.result) == 20)
        #expect(try await log.lag(StreamName.result, group: "doctor") == 20)
        let read = try await log.readNew(StreamName.result, group: "doctor", consumer: "d", count: 100, wait: nil)
        #expect(read.count == 20)
        _ = try await log.acknowledge(StreamName.result, group: "doctor", ids: read.map(\.entry.id))
        try await bus.publish(ApplyResult(planID: "x", symbol: PipelineFixture.btc, action: .fullClose, decision: .skipped,
                                          reason: .noPosition, createdAt: clock.now()), to: StreamName.result)
        #expect(try await log.length(StreamName.result) <= 6, "once read and acknowledged, the stream is trimmed to retention")
    }
}
