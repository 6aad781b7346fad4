import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import ServiceLifecycle
import Testing

/// The seed incident's scenarios end to end: exit services → intent-bridge → executor → exchange.
@Suite(.timeLimit(.minutes(3))) struct SeedScenarioTests {
    /// Starts exit-brain or harvest on the fixture (the other services are the fixture's).
    static func start(_ service: some Service, in f: PipelineFixture, name: ServiceName) async throws {
        let heartbeats = try await StreamWatcher.start(f.log, StreamName.heartbeat)
        f.run(service)
        _ = try await heartbeats.next { $0["service"] == name.rawValue && $0["status"] == "running" }
    }

    /// A closed bar on `marketstate`: what wakes the exit services between their intervals.
    static func bar(_ f: PipelineFixture, _ symbol: Symbol = PipelineFixture.btc) async throws {
        _ = try await f.log.append(StreamName.marketState, fields: ["type": "marketstate", "symbol": symbol.rawValue, "ts": String(f.clock.now().rawValue)])
    }

    @Test func aPositionReaching2RIsScaledOutBy25PercentExactlyOnce() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await f.startBridge()
        let open = try f.openPlan(quantity: "0.02")  // 0.02 BTC long at ~100 000, stop 98 000: 1R ≈ 2 000
        try await f.send(open)
        #expect(try await results.result(open.planID).executed)
        var configuration = HarvestService.Configuration()
        configuration.harvest.profitLock = nil
        try await Self.start(HarvestService(venue: f.venue.venue, log: f.log, store: f.store, clock: f.clock, symbols: [PipelineFixture.btc],
                                            configuration: configuration, logger: VenueFixture.quietLogger), in: f, name: .harvest)

        try await f.freshMarket(PipelineFixture.btc, "104100")  // R ≈ 2.05
        try await Self.bar(f)
        let first = try await results.result(PlanIdentity.rung(PipelineFixture.btc, PositionEpoch(rawValue: 1)!, 1).planID)
        #expect(first.execution?.filledQuantity == Quantity("0.005")!)
        #expect(first.execution?.step == .marketReduceOnly)
        #expect(try await f.position()?.rungsTaken == [1])

        // Still above 2R on the next bars: nothing more is taken until the next rung (4R → 50 % of the peak in total).
        try await Self.bar(f)
        try await f.freshMarket(PipelineFixture.btc, "108100")
        try await Self.bar(f)
        let second = try await results.result(PlanIdentity.rung(PipelineFixture.btc, PositionEpoch(rawValue: 1)!, 2).planID)
        #expect(second.execution?.filledQuantity == Quantity("0.005")!)
        let rungOne = PlanIdentity.rung(PipelineFixture.btc, PositionEpoch(rawValue: 1)!, 1)
        #expect(try await f.results(for: rungOne.planID).filter { $0.decision == .executed }.count == 1)
        #expect(await f.ordersOnExchange(rungOne.clientOrderID) == 1)
        #expect(try await f.exchangePosition() == Quantity("0.01")!)
        #expect(try await f.stat(.winnersScaled) == 1)
        #expect(try await f.store.get(StateKey.exitsByReason("ladder_rung")) == "2")
    }

    @Test func aRegimeFlipDrivesTheKillScoreOverTheThresholdAndThePositionIsClosed() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        let intents = try await StreamWatcher.start(f.log, StreamName.exitIntent)
        try await f.startExecutor()
        try await f.startBridge()
        try await ProtectiveStopTests.open(f, results)
        try await Self.start(ExitBrainService(log: f.log, store: f.store, clock: f.clock, symbols: [PipelineFixture.btc],
                                              configuration: .init(), logger: VenueFixture.quietLogger), in: f, name: .exitBrain)

        // The trend is gone (choppy, mean-reverting) and volatility has tripled: the regime flipped.
        let now = String(f.clock.now().rawValue)
        try await f.store.setFields(StateKey.marketState(PipelineFixture.btc), [
            "price": "100050", "as_of": now, "bar_close_time": now, "sigma": "0.03", "mu": "0.0", "ts_strength": "0.02",
            "p_trend": "0.1", "p_mr": "0.4", "p_chop": "0.5", "bars": "60",
        ])
        try await Self.bar(f)
        let intent = try await intents.next { $0["action"] == "CLOSE" }
        #expect(intent["reason"] == "kill_score")
        #expect(Double(intent["kill_score"] ?? "") ?? 0 >= 0.6)
        let closed = try await results.result(PlanIdentity.close(PipelineFixture.btc, PositionEpoch(rawValue: 1)!).planID)
        #expect(closed.decision == .executed)
        #expect(closed.execution?.step == .marketReduceOnly)
        #expect(try await f.exchangePosition() == .zero)
        #expect(try await ProtectiveStopTests.liveStops(f).isEmpty)
        #expect(try await f.store.get(StateKey.exitsByReason("kill_score")) == "1")
    }

    @Test func aReduceThatRacesAStopFillSendsNothingWhenAlreadyFlat() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await ProtectiveStopTests.open(f, results)
        try await f.venue.tick(PipelineFixture.btc, "97900")  // the exchange stop fires
        #expect(try await f.exchangePosition() == .zero)
        let reduce = try f.reducePlan(quantity: "0.005", rung: 1)
        try await f.send(reduce)
        let result = try await results.result(reduce.planID)
        #expect(result.decision == .skipped)
        #expect(result.reason == .noPosition)
        #expect(await f.ordersOnExchange(reduce.clientOrderID) == 0)
    }
}
