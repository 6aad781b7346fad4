import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// Invariant 5 through the executor: every entry gets its exchange-side stop, a stop move never leaves a
/// gap, a full close cancels the stop, and a stop that fired while nothing ran is recognised.
@Suite(.timeLimit(.minutes(3))) struct ProtectiveStopTests {
    static func price(_ text: String) -> Price { Price(text)! }

    /// Live protective stops of a symbol on the exchange.
    static func liveStops(_ f: PipelineFixture, _ symbol: Symbol = PipelineFixture.btc) async throws -> [VenueAlgoOrder] {
        try await f.venue.venue.openConditionalOrders(symbol: symbol)
    }

    static func moveStopPlan(_ f: PipelineFixture, to level: String, epoch: UInt64 = 1) -> Plan {
        let e = PositionEpoch(rawValue: epoch)!
        let identity = PlanIdentity.moveStop(PipelineFixture.btc, e, price(level))
        return Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: PipelineFixture.btc, epoch: e,
                    order: .moveStop(position: .long, newStop: price(level), reason: .profitLock), source: .harvest,
                    intentID: "move-\(level)", expiresAt: f.clock.now().advanced(by: .seconds(60)), createdAt: f.clock.now())
    }

    /// Opens the fixture's standard BTC long (stop 98 000) and returns once its result is published.
    static func open(_ f: PipelineFixture, _ results: StreamWatcher) async throws {
        let plan = try f.openPlan()
        try await f.send(plan)
        let result = try await results.result(plan.planID)
        #expect(result.decision == .executed)
    }

    @Test func anEntryIsProtectedByExactlyOneCloseStopOnMarkPrice() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await Self.open(f, results)
        let stops = try await Self.liveStops(f)
        #expect(stops.count == 1)
        let stop = try #require(stops.first)
        #expect(stop.closePosition)
        #expect(stop.side == .sell)
        #expect(stop.triggerPrice == Self.price("98000"))
        #expect(stop.clientAlgoID == Executor.stopID(PipelineFixture.btc, PositionEpoch(rawValue: 1)!, Self.price("98000")).rawValue)
        #expect(try await f.position()?.stopLoss == Self.price("98000"))
        #expect(try await f.stat(.stopsPlaced) == 1)
    }

    @Test func FM03_aStopMoveReplacesTheStopWithoutAGapAndNeverLoosens() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await Self.open(f, results)
        let oldID = Executor.stopID(PipelineFixture.btc, PositionEpoch(rawValue: 1)!, Self.price("98000")).rawValue
        let newID = Executor.stopID(PipelineFixture.btc, PositionEpoch(rawValue: 1)!, Self.price("99500")).rawValue

        let move = Self.moveStopPlan(f, to: "99500")
        try await f.send(move)
        let moved = try await results.result(move.planID)
        #expect(moved.decision == .executed)
        #expect(moved.execution?.step == .stopMoved)
        #expect(try await Self.liveStops(f).map(\.clientAlgoID) == [newID])
        #expect(try await f.position()?.stopLoss == Self.price("99500"))
        // The new stop was placed before the old one was cancelled: never a moment without one.
        let log = await f.host.requestLog
        let placedNew = try #require(log.firstIndex { $0.method == "POST" && $0.clientOrderID == newID })
        let cancelledOld = try #require(log.firstIndex { $0.method == "DELETE" && $0.clientOrderID == oldID })
        #expect(placedNew < cancelledOld)

        let looser = Self.moveStopPlan(f, to: "99000")
        try await f.send(looser)
        let refused = try await results.result(looser.planID)
        #expect(refused.decision == .skipped)
        #expect(refused.reason == .stopNotTighter)
        #expect(try await Self.liveStops(f).map(\.clientAlgoID) == [newID])
    }

    @Test func aFullCloseCancelsTheStop() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await Self.open(f, results)
        let close = f.closePlan()
        try await f.send(close)
        let closed = try await results.result(close.planID)
        #expect(closed.execution?.step == .marketReduceOnly)
        #expect(try await f.exchangePosition() == .zero)
        #expect(try await Self.liveStops(f).isEmpty)
        #expect(try await f.stat(.exitsExecuted) == 1)
        #expect(try await f.store.get(StateKey.exitsByReason("manual")) == "1")
        #expect(try await f.stat(.positionsClosed) == 1)
    }

    @Test func FM04_aStopThatFiresWhileEverythingIsDownIsRecognisedOnRestart() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await Self.open(f, results)
        await f.stopServices()
        // Every service is down; the market falls through the stop and the exchange closes the position on its own.
        try await f.venue.tick(PipelineFixture.btc, "97900")
        #expect(try await f.exchangePosition() == .zero)
        #expect(try await f.position() != nil)

        let events = try await StreamWatcher.start(f.log, StreamName.reconcile)
        let restarted = f.restarted { _ in }
        try await restarted.startExecutor()
        let event = try await events.next { $0["kind"] == "external_close" }
        #expect(event["cause"] == "protective_stop")
        #expect(try await restarted.position() == nil)
        // Recognised, not drift: opens of the symbol are not halted, and it counts as a stop-loss exit with its R.
        #expect(try await restarted.store.fields(StateKey.symbolHalt(PipelineFixture.btc)).isEmpty)
        #expect(try await restarted.store.get(StateKey.exitsByReason("stop_loss")) == "1")
        let r = try await restarted.stat(.rCapturedMicros)
        #expect(r < -1_000_000 && r > -1_200_000, "a stop at 2 % below entry with 2 % risk is about −1R after fees, got \(r)")
    }
}
