import Foundation
import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import Testing

/// The exit-brain: each close rule for both directions, their order, the kill score, and the service end to end.
@Suite(.timeLimit(.minutes(1))) struct ExitBrainTests {
    static let t0 = EpochMillis(1_750_000_000_000)
    let btc = VenueFixture.btc
    let brain = ExitBrain()

    /// Entry 100 000 with 1R = 2 000; a long's stop 98 000 / target 106 000, a short's mirrored.
    func position(_ side: PositionSide = .long, stop: String?? = .none, target: String?? = .none, openedAt: EpochMillis = ExitBrainTests.t0) -> PositionRecord {
        let defaultStop = side == .long ? "98000" : "102000"
        let defaultTarget = side == .long ? "106000" : "94000"
        return PositionRecord(
            symbol: btc, side: side, quantity: Quantity("1")!, peakQuantity: Quantity("1")!, entryPrice: Price("100000")!,
            leverage: Leverage(rawValue: 5)!, stopLoss: (stop ?? defaultStop).map { Price($0)! },
            takeProfit: (target ?? defaultTarget).map { Price($0)! }, initialRisk: Price("2000")!, epoch: .first,
            openedAt: openedAt, updatedAt: openedAt)
    }

    /// Trend gone (p_trend 0.1, p_chop + p_mr 0.9), volatility doubled, trend strength 0.05.
    let regimeFlip = MarketState(sigma: 0.02, mu: -0.001, ts: 0.05, pTrend: 0.1, pMR: 0.4, pChop: 0.5, bars: 60)
    /// A calm, strong trend.
    let calmTrend = MarketState(sigma: 0.008, mu: 0.004, ts: 0.5, pTrend: 0.8, pMR: 0.1, pChop: 0.1, bars: 60)
    let oneHourIn = ExitBrainTests.t0.advanced(by: .seconds(3_600))

    func decide(_ p: PositionRecord, _ mark: String, _ state: MarketState? = nil, at now: EpochMillis? = nil, using brain: ExitBrain? = nil) -> ExitBrain.Decision {
        (brain ?? self.brain).decide(position: p, mark: Price(mark)!, state: state, now: now ?? oneHourIn)
    }

    @Test func emergencyAtMinusOnePointFiveRBeatsEveryOtherRule() {
        // Through the stop, past the time limit, and a kill-score state: the emergency is decisive, the others are recorded.
        let all = decide(position(), "96900", regimeFlip, at: Self.t0.advanced(by: .seconds(90_000)))
        #expect(all.closeReason == .emergency)
        #expect(all.assessment.reasons.first == "emergency_r")
        #expect(["stop_hit", "time_limit", "kill_score_triggered"].allSatisfy { all.assessment.reasons.contains($0) })
        #expect(abs(all.assessment.r! - -1.55) < 1e-12)
        // Exactly −1.5R, with no stop recorded, for a long and a short.
        #expect(decide(position(stop: .some(nil)), "97000").closeReason == .emergency)
        #expect(decide(position(.short, stop: .some(nil)), "103000").closeReason == .emergency)
        #expect(decide(position(stop: .some(nil)), "97000.1").closeReason == nil)
    }

    @Test func theRecordedStopClosesLongsAndShortsAtOrThroughIt() {
        let long = decide(position(), "98000")
        #expect(long.closeReason == .stopLoss && long.assessment.reasons == ["stop_hit"])
        #expect(decide(position(), "98000.1").closeReason == nil)
        let short = decide(position(.short), "102000")
        #expect(short.closeReason == .stopLoss && short.assessment.reasons == ["stop_hit"])
        #expect(decide(position(.short), "101999.9").closeReason == nil)
        // A stop raised above entry by the profit lock still closes a long when the mark falls to it.
        #expect(decide(position(stop: "100200"), "100150").closeReason == .stopLoss)
        var off = ExitBrain.Configuration()
        off.useStopRule = false
        #expect(decide(position(), "98000", using: ExitBrain(configuration: off)).closeReason == nil)
    }

    @Test func theTargetClosesLongsAndShortsAtOrBeyondIt() {
        let long = decide(position(), "106000")
        #expect(long.closeReason == .takeProfit && long.assessment.reasons == ["target_hit"] && long.assessment.r == 3)
        #expect(decide(position(), "105999.9").closeReason == nil)
        #expect(decide(position(.short), "93999.9").closeReason == .takeProfit)
        #expect(decide(position(.short), "94000.1").closeReason == nil)
        #expect(decide(position(target: .some(nil)), "120000").closeReason == nil)
        var off = ExitBrain.Configuration()
        off.useTargetRule = false
        #expect(decide(position(), "106000", using: ExitBrain(configuration: off)).closeReason == nil)
    }

    @Test func aTargetJudgedAtTheBarCloseIgnoresTheMarkAndAwaitsAClosedBar() {
        var c = ExitBrain.Configuration()
        c.targetJudgement = .barClose
        let atCloses = ExitBrain(configuration: c)
        #expect(decide(position(), "106500", using: atCloses).closeReason == nil, "a mark past the target between bars")
        let closed = atCloses.decide(position: position(), mark: Price("105000")!, state: nil, now: oneHourIn, barClose: Price("106000")!)
        #expect(closed.closeReason == .takeProfit)
        #expect(atCloses.decide(position: position(), mark: Price("106500")!, state: nil, now: oneHourIn, barClose: Price("105999.9")!).closeReason == nil)
        #expect(atCloses.decide(position: position(.short), mark: Price("95000")!, state: nil, now: oneHourIn, barClose: Price("94000")!).closeReason == .takeProfit)
        // The stop still judges every mark.
        #expect(decide(position(), "98000", using: atCloses).closeReason == .stopLoss)
    }

    @Test func theStrategysOwnExitsLeaveNoKillScoreEmergencyOrTimeLimit() {
        var c = ExitBrain.Configuration()
        c.useKillScore = false
        c.emergencyR = nil
        c.maxHoldTime = nil
        let plain = ExitBrain(configuration: c)
        let decision = decide(position(stop: .some(nil)), "96000", regimeFlip, at: Self.t0.advanced(by: .seconds(200_000)), using: plain)
        #expect(decision.closeReason == nil && decision.assessment.kill == nil && decision.assessment.reasons.isEmpty)
        #expect(decide(position(), "97000", using: plain).closeReason == .stopLoss)
    }

    @Test func aPositionHeldPastTheTimeLimitIsClosed() {
        let day = Self.t0.advanced(by: .seconds(86_400))
        let late = decide(position(), "100500", at: day)
        #expect(late.closeReason == .timeLimit && late.assessment.reasons == ["time_limit"])
        #expect(decide(position(), "100500", at: day.advanced(by: .milliseconds(-1))).closeReason == nil)
        var off = ExitBrain.Configuration()
        off.maxHoldTime = nil
        #expect(decide(position(), "100500", at: day.advanced(by: .seconds(86_400)), using: ExitBrain(configuration: off)).closeReason == nil)
    }

    @Test func aRegimeFlipWithASigmaSpikeDrivesTheKillScoreOverTheThreshold() throws {
        let decision = decide(position(), "100500", regimeFlip)
        #expect(decision.closeReason == .killScore)
        let kill = try #require(decision.assessment.kill)
        #expect(kill.components.regimeFlip == 1)
        #expect(abs(kill.components.sigmaSpike - 1) < 1e-9)
        #expect(abs(kill.components.trendStrengthDrop - 0.25) < 1e-9)
        #expect(abs(kill.components.agePenalty - 1.0 / 24) < 1e-9)
        // z = 1 + 0.5·1 + 0.5·0.25 + 0.3/24 = 1.6375.
        #expect(abs(kill.score - 1 / (1 + exp(-1.6375))) < 1e-9 && kill.score >= 0.6)
        #expect(decision.assessment.reasons == ["kill_score_triggered", "regime_flip", "sigma_spike", "ts_drop"])
        #expect(kill.audit.score == kill.score && kill.audit.regimeFlip == 1)
    }

    @Test func aCalmTrendHoldsWithTheScoreStillReported() throws {
        let decision = decide(position(), "101000", calmTrend)
        #expect(decision.closeReason == nil)
        let kill = try #require(decision.assessment.kill)
        #expect(!kill.shouldClose && kill.score < 0.6)
        #expect(kill.components.regimeFlip == 0 && kill.components.sigmaSpike == 0 && kill.components.trendStrengthDrop == 0)
        #expect(decision.assessment.reasons.isEmpty && decision.assessment.r == 0.5)
    }

    @Test func withoutMarketStateThereIsNoKillScoreButThePriceRulesStillWork() {
        let calm = decide(position(), "101000")
        #expect(calm == .hold(ExitBrain.Assessment(r: 0.5, kill: nil, reasons: [])))
        #expect(decide(position(stop: .some(nil)), "96000").closeReason == .emergency)
        #expect(decide(position(), "98000").closeReason == .stopLoss)
        #expect(decide(position(), "98000").assessment.kill == nil)
    }

    @Test func theConfigurationIsValidatedWithTheKillScores() {
        #expect(ExitBrain.Configuration().validate().isEmpty)
        var bad = ExitBrain.Configuration()
        bad.killScore.threshold = 0.5
        bad.emergencyR = 1
        bad.maxHoldTime = .zero
        let problems = bad.validate()
        #expect(problems.count == 3)
        #expect(problems.contains { $0.contains("kill threshold") })
    }

    @Test func inputsFailClosedOnStaleMissingOrMalformedData() async throws {
        let clock = ManualEpochClock(Self.t0)
        let store = InMemoryStateStore(clock: clock)
        let reader = ExitInputReader(store: store, maxAge: .seconds(180), logger: VenueFixture.quietLogger)
        let now = Self.t0
        #expect(try await reader.read(btc, now: now) == nil)
        try await store.setFields(StateKey.position(btc), position().encoded())
        #expect(try await reader.read(btc, now: now) == nil)
        try await store.setFields(StateKey.marketState(btc), ["price": "100500", "as_of": String(now.advanced(by: .seconds(-181)).rawValue)])
        #expect(try await reader.read(btc, now: now) == nil)
        try await store.setFields(StateKey.marketState(btc), ["price": "100500", "as_of": String(now.rawValue)])
        let priceOnly = try #require(try await reader.read(btc, now: now))
        #expect(priceOnly.mark == Price("100500")! && priceOnly.state == nil)
        try await store.setFields(StateKey.marketState(btc), Self.stateFields(regimeFlip, barClose: now.advanced(by: .seconds(-60))))
        #expect(try await reader.read(btc, now: now)?.state == regimeFlip)
        try await store.setFields(StateKey.marketState(btc), Self.stateFields(regimeFlip, barClose: now.advanced(by: .seconds(-600)), asOf: now))
        #expect(try await reader.read(btc, now: now)?.state == nil)
        try await store.setFields(StateKey.position(btc), ["type": "position", "v": "1", "ts": "1", "symbol": "BTCUSDT", "quantity": "lots"])
        #expect(try await reader.read(btc, now: now) == nil)
    }

    @Test func aCloseIsNotRepeatedWithinTheResendWindow() {
        var sent = RecentSends<String>(window: .seconds(30))
        sent.record("exit-brain:close:BTCUSDT:e1", at: Self.t0)
        #expect(sent.contains("exit-brain:close:BTCUSDT:e1", now: Self.t0.advanced(by: .seconds(29))))
        #expect(!sent.contains("exit-brain:close:BTCUSDT:e2", now: Self.t0))
        sent.prune(now: Self.t0.advanced(by: .seconds(30)))
        #expect(!sent.contains("exit-brain:close:BTCUSDT:e1", now: Self.t0.advanced(by: .seconds(30))))
    }

    @Test func theServicePublishesACloseWithItsAuditAndSkipsAMalformedPosition() async throws {
        let clock = ManualEpochClock(Self.t0)
        let log = InMemoryEventLog(clock: clock)
        let store = InMemoryStateStore(clock: clock)
        let eth = VenueFixture.eth
        try await store.setFields(StateKey.position(eth), ["type": "position", "v": "1", "ts": "1", "symbol": "ETHUSDT", "quantity": "lots"])
        try await store.setFields(StateKey.marketState(eth), ["price": "3000", "as_of": String(Self.t0.rawValue)])
        try await store.setFields(StateKey.position(btc), position(openedAt: Self.t0.advanced(by: .seconds(-3_600))).encoded())
        var market = Self.stateFields(regimeFlip, barClose: Self.t0)
        market["price"] = "97500"
        try await store.setFields(StateKey.marketState(btc), market)

        let intents = try await StreamWatcher.start(log, StreamName.exitIntent)
        let service = ExitBrainService(log: log, store: store, clock: clock, symbols: [eth, btc], configuration: .init(),
                                       logger: VenueFixture.quietLogger)
        let task = Task { try await service.run() }
        defer { task.cancel() }

        let intent = try ExitIntent.decode(try await intents.next())
        #expect(intent.intentID == "exit-brain:close:BTCUSDT:e1")
        #expect(intent.action == .close && intent.symbol == btc && intent.epoch == .first)
        #expect(intent.reason == .stopLoss && intent.source == .exitBrain)
        #expect(intent.rMultiple == -1.25 && intent.createdAt == Self.t0)
        let audit = try #require(intent.killScore)
        #expect(audit.regimeFlip == 1 && audit.score > 0.6)
    }

    static func stateFields(_ s: MarketState, barClose: EpochMillis, asOf: EpochMillis? = nil) -> [String: String] {
        ["price": "100500", "as_of": String((asOf ?? barClose).rawValue), "bar_close_time": String(barClose.rawValue), "sigma": String(s.sigma),
         "mu": String(s.mu), "ts_strength": String(s.ts), "p_trend": String(s.pTrend), "p_mr": String(s.pMR), "p_chop": String(s.pChop),
         "bars": String(s.bars)]
    }
}
