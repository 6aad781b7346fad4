import QuantumBus
import QuantumCore
import QuantumExchange
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// Invariant 6: positions change only on confirmed fills and agree with the exchange.
@Suite(.timeLimit(.minutes(1))) struct PositionTruthTests {
    @Test func FM21_aMarketReplySayingNewIsConfirmedBeforeThePositionChanges() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        await f.venue.faults { $0.marketRepliesNew = true }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan(quantity: "0.02")
        try await f.send(open)
        let result = try await watcher.result(open.planID)
        #expect(result.execution?.filledQuantity == Quantity("0.02")!)
        #expect(result.execution?.averagePrice.isPositive == true)
        let position = try await f.position()
        #expect(position?.quantity == Quantity("0.02")! && position?.entryPrice.isPositive == true)
    }

    @Test func FM22_theEntryIsTheFillPriceNotTheSignalPrice() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        try await f.freshMarket(PipelineFixture.btc, "101000")
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan(price: "100000")
        try await f.send(open)
        let fill = try #require(try await watcher.result(open.planID).execution?.averagePrice)
        #expect(fill != Price("100000")!)
        #expect(try await f.position()?.entryPrice == fill)
    }

    @Test func FM23_FM24_externalFillsAccumulateAndPositionsSurviveRestarts() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor(followingFills: true)
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let events = try await StreamWatcher.start(f.log, StreamName.reconcile)
        let open = try f.openPlan(quantity: "0.02")
        try await f.send(open)
        #expect(try await watcher.result(open.planID).executed)
        // Someone adds 0.01 by hand on the exchange: the position accumulates, it is not overwritten.
        let manual = await f.venue.venue.submit(VenueOrderRequest(symbol: PipelineFixture.btc, side: .buy, quantity: Quantity("0.01")!,
                                                                      clientOrderID: ClientOrderID(rawValue: "web_manual_1")!))
        #expect(manual.outcome.order != nil)
        let added = try await events.next { $0["kind"] == "external_fill" }
        #expect(added["cause"] == "manual")
        let held = try await f.position()
        #expect(held?.quantity == Quantity("0.03")!, "\(String(describing: held)) \(added)")
        // A restart reloads the same position, and it matches the exchange.
        await f.stopServices()
        try await f.startExecutor()
        #expect(try await f.position()?.quantity == (try await f.exchangePosition()))
        let close = f.closePlan()
        try await f.send(close)
        #expect(try await watcher.result(close.planID).execution?.filledQuantity == Quantity("0.03")!)
        #expect(try await f.position() == nil)
        #expect(try await f.exchangePosition() == .zero)
    }

    /// An executor following fills, holding a BTC long of `quantity`; then a manual order placed on the exchange with
    /// `faults` set first (how its user-stream events are mishandled). Returns the result and reconcile watchers.
    private func heldThenManual(_ quantity: String, faults: @Sendable (inout FaultPlan) -> Void, manual side: OrderSide,
                                _ manualQuantity: String, reduceOnly: Bool, id: String) async throws
        -> (PipelineFixture, results: StreamWatcher, events: StreamWatcher) {
        let f = try await PipelineFixture.start()
        try await f.startExecutor(followingFills: true)
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let events = try await StreamWatcher.start(f.log, StreamName.reconcile)
        let open = try f.openPlan(quantity: quantity)
        try await f.send(open)
        #expect(try await watcher.result(open.planID).executed)
        await f.venue.faults(faults)
        let manual = await f.venue.venue.submit(VenueOrderRequest(symbol: PipelineFixture.btc, side: side, quantity: Quantity(manualQuantity)!,
                                                                      reduceOnly: reduceOnly, clientOrderID: ClientOrderID(rawValue: id)!))
        #expect(manual.outcome.order != nil)
        return (f, watcher, events)
    }

    @Test func Fault_aDuplicatedUserStreamFillIsAppliedOnce() async throws {
        // Every event of a manual reduce arrives twice.
        let (f, _, events) = try await heldThenManual("0.02", faults: { $0.duplicatedUserEvents = 100 }, manual: .sell, "0.005",
                                                      reduceOnly: true, id: "web_manual_1")
        defer { Task { await f.stop() } }
        _ = try await events.next { $0["kind"] == "external_fill" && $0["client_order_id"] == "web_manual_1" }
        // A second manual fill: its event comes after both copies of the first, so they have been handled by then.
        await f.venue.faults { $0.duplicatedUserEvents = 0 }
        _ = await f.venue.venue.submit(VenueOrderRequest(symbol: PipelineFixture.btc, side: .sell, quantity: Quantity("0.001")!,
                                                         reduceOnly: true, clientOrderID: ClientOrderID(rawValue: "web_manual_2")!))
        let second = try await events.next { $0["kind"] == "external_fill" || $0["kind"] == "external_close" }
        #expect(second["client_order_id"] == "web_manual_2", "\(second)")
        #expect(try await f.position()?.quantity == Quantity("0.014")!)
        #expect(try await f.position()?.quantity == (try await f.exchangePosition()))
        #expect(try await f.store.fields(StateKey.symbolHalt(PipelineFixture.btc)).isEmpty)
    }

    /// Defect 3: an exit sized from the exchange fills more than our record holds (a manual add we never heard of).
    /// The result stands, the exchange's truth is adopted, opens of the symbol halt; the plan does not crash the
    /// executor (before: `FlipRefused` on every restart).
    @Test func Fault_anExitFillBeyondAnUnseenLiveFillIsReconciledNotACrashLoop() async throws {
        // A manual add whose user-stream events are lost: the store still says 0.01, the exchange holds 0.02.
        let (f, watcher, events) = try await heldThenManual("0.01", faults: { $0.droppedUserEvents = 100 }, manual: .buy, "0.01",
                                                            reduceOnly: false, id: "web_manual_3")
        defer { Task { await f.stop() } }
        let close = f.closePlan()
        try await f.send(close)
        let result = try await watcher.result(close.planID)
        #expect(result.execution?.filledQuantity == Quantity("0.02")!, "\(result)")
        let drift = try await events.next { $0["kind"] != "user_stream_resynced" && $0["symbol"] == "BTCUSDT" }
        #expect(drift["halted"] == "true", "\(drift)")
        #expect(try await f.position() == nil)
        #expect(try await f.exchangePosition() == .zero)
        #expect(try await f.store.fields(StateKey.symbolHalt(PipelineFixture.btc)).isEmpty == false)
        // The executor goes on: the next plan of another symbol executes.
        let eth = try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000")
        try await f.send(eth)
        #expect(try await watcher.result(eth.planID).executed)
    }

    @Test func driftIsAdoptedFromTheExchangeAndHaltsOpensOfTheSymbol() async throws {
        let f = try await PipelineFixture.start { $0.reconcileInterval = .seconds(1) }
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let events = try await StreamWatcher.start(f.log, StreamName.reconcile)
        _ = try await f.host.perform(.adjustPosition(apiKey: VenueFixture.credential.apiKey, symbol: PipelineFixture.eth, side: .both,
                                                     quantity: Quantity("-2")!, entryPrice: Price("3000")!))
        f.clock.advance(by: .seconds(1))
        let drift = try await events.next()
        #expect(drift["kind"] == "unknown_position" && drift["halted"] == "true")
        let adopted = try await f.position(PipelineFixture.eth)
        #expect(adopted?.side == .short && adopted?.quantity == Quantity("2")!)
        let state = try await KillSwitch(store: f.store).state()
        #expect(state.haltedSymbols[PipelineFixture.eth] == "unknown_position")
        #expect(state.haltsLift[PipelineFixture.eth] == f.clock.now().advanced(by: f.configuration.driftHaltCoolDown))
    }

    /// FM-19: a drift halt has an end. After its cool-down, with the symbol in agreement with the exchange, the next
    /// reconciliation lifts it (before: only `quantum resume` could).
    @Test func FM19_aDriftHaltLiftsByItselfAfterItsCoolDown() async throws {
        let f = try await PipelineFixture.start { $0.reconcileInterval = .seconds(1); $0.driftHaltCoolDown = .seconds(60) }
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let events = try await StreamWatcher.start(f.log, StreamName.reconcile)
        _ = try await f.host.perform(.adjustPosition(apiKey: VenueFixture.credential.apiKey, symbol: PipelineFixture.eth, side: .both,
                                                     quantity: Quantity("-2")!, entryPrice: Price("3000")!))
        f.clock.advance(by: .seconds(1))
        #expect(try await events.next()["halted"] == "true")
        #expect(try await f.store.fields(StateKey.symbolHalt(PipelineFixture.eth)).isEmpty == false)
        // Past the cool-down: the next pass finds store and exchange in agreement and lifts the halt.
        f.clock.advance(by: .seconds(60))
        while try await !f.store.fields(StateKey.symbolHalt(PipelineFixture.eth)).isEmpty {
            try Task.checkCancellation()  // the time limit ends the wait
            let due = await f.clock.sleeper(dueBy: f.clock.now().advanced(by: .seconds(1)))
            f.clock.advance(to: due)
        }
        #expect(try await KillSwitch(store: f.store).state().haltedSymbols.isEmpty)
    }
}
