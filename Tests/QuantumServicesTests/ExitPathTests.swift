import QuantumBus
import QuantumCore
import QuantumExchange
@testable import QuantumServices
import QuantumTestSupport
import Testing

/// Invariant 4: exits are reduce-only by type, sized from the live position, and never blocked.
@Suite(.timeLimit(.minutes(1))) struct ExitPathTests {
    /// Opens a 0.02 BTC long (epoch 1) and returns the watcher that saw it.
    func opened(_ f: PipelineFixture, quantity: String = "0.02", direction: Direction = .long) async throws -> StreamWatcher {
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan(PipelineFixture.btc, direction, quantity: quantity)
        try await f.send(open)
        #expect(try await watcher.result(open.planID).executed)
        return watcher
    }

    /// The reduce-only flag of the exchange's order with this id.
    func reduceOnly(_ f: PipelineFixture, _ id: ClientOrderID) async -> Bool? {
        await f.host.inspect { desk in
            desk.engine.account(VenueFixture.credential.apiKey)?.orders.values.first { $0.clientOrderID == id.rawValue }?.reduceOnly
        }
    }

    @Test func FM12_anExitPlanWithoutItsReduceOnlyFlagIsRefusedNotOpened() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await opened(f)
        var lost = f.closePlan().encoded()
        lost.removeValue(forKey: "reduceOnly")
        _ = try await f.log.append(StreamName.plan, fields: lost)
        var flipped = f.closePlan().encoded()
        flipped["reduceOnly"] = "false"
        _ = try await f.log.append(StreamName.plan, fields: flipped)
        let close = f.closePlan()
        try await f.send(close)
        #expect(try await watcher.result(close.planID).executed)
        #expect(await reduceOnly(f, close.clientOrderID) == true)
        let dead = try await f.log.range(InMemoryEventLog.deadLetterStream(for: StreamName.plan), from: .zero, to: .max, count: 10)
        #expect(dead.count == 2)
        #expect(try await f.exchangePosition() == .zero)
        #expect(await f.allOrdersOnExchange() == 2)
    }

    @Test func FM13_anOversizedCloseNeverFlipsAndChurnPausesTheSymbol() async throws {
        let f = try await PipelineFixture.start { $0.churnLimit = 2 }
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await opened(f, quantity: "0.02")
        let reduce = try f.reducePlan(quantity: "5", rung: nil)
        try await f.send(reduce)
        let result = try await watcher.result(reduce.planID)
        #expect(result.executed && result.execution?.filledQuantity == Quantity("0.02")!)
        #expect(try await f.exchangePosition() == .zero)
        // Second open in the window; the third is paused by the churn breaker.
        let second = try f.openPlan(PipelineFixture.btc, .short, epoch: 2)
        try await f.send(second)
        #expect(try await watcher.result(second.planID).executed)
        let close = f.closePlan(position: .short, epoch: 2)
        try await f.send(close)
        #expect(try await watcher.result(close.planID).executed)
        let third = try f.openPlan(epoch: 3)
        try await f.send(third)
        let paused = try await watcher.result(third.planID)
        #expect(paused.decision == .rejected && paused.reason == .churnBreaker)
        #expect(await f.ordersOnExchange(third.clientOrderID) == 0)
        // FM-19: the pause is written with when it lifts (the first open leaving the window), and it does lift.
        let lifts = try #require(try await f.store.fields(StateKey.churnPauses)["BTCUSDT"].flatMap(Int64.init))
        #expect(lifts == f.clock.now().advanced(by: f.configuration.churnWindow).rawValue)
        f.clock.advance(to: EpochMillis(lifts))
        try await f.freshMarket(PipelineFixture.btc, "100000")
        try await f.freshMarket(PipelineFixture.eth, "3000")
        _ = try await f.store.setFields(StateKey.account, ["as_of": String(f.clock.now().rawValue)])
        let again = try f.openPlan(epoch: 3, attempt: 1)
        try await f.send(again)
        let reopened = try await watcher.result(again.planID)
        #expect(reopened.reason != .churnBreaker, "\(reopened)")
        #expect(try await f.store.fields(StateKey.churnPauses).isEmpty)
    }

    @Test func FM19_everyHaltHasAnExitTheSystemCanTake() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await opened(f)
        try await f.store.setFields(StateKey.symbolHalt(PipelineFixture.btc), ["reason": "quantity_mismatch"])
        try await f.store.setFields(StateKey.killSwitch, ["active": "true"])
        try await f.store.delete(StateKey.marketState(PipelineFixture.btc))
        let close = f.closePlan()
        try await f.send(close)
        #expect(try await watcher.result(close.planID).executed)
        #expect(try await f.position() == nil)
    }

    @Test func FM20_sidesComeFromTheActionNotFromBuyOrSell() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        // A SELL that opens a short on a flat symbol…
        let short = try f.openPlan(PipelineFixture.btc, .short)
        try await f.send(short)
        #expect(try await watcher.result(short.planID).executed)
        #expect(await reduceOnly(f, short.clientOrderID) == false)
        #expect(try await f.exchangePosition() == Quantity("-0.01")!)
        // …a BUY that closes it, reduce-only…
        let close = f.closePlan(position: .short)
        try await f.send(close)
        #expect(try await watcher.result(close.planID).executed)
        #expect(await reduceOnly(f, close.clientOrderID) == true)
        // …and a close of a long that does not exist sends nothing.
        let phantom = f.closePlan(PipelineFixture.eth, position: .long)
        try await f.send(phantom)
        let skipped = try await watcher.result(phantom.planID)
        #expect(skipped.decision == .skipped && skipped.reason == .noPosition)
        #expect(await f.ordersOnExchange(phantom.clientOrderID) == 0)
    }

    @Test func FM25_closingAPositionTheExchangeNoLongerHasSendsNothing() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await opened(f)
        // The exchange loses the position behind our back (a testnet reset, an admin flatten).
        _ = try await f.host.perform(.adjustPosition(apiKey: VenueFixture.credential.apiKey, symbol: PipelineFixture.btc, side: .both,
                                                     quantity: .zero, entryPrice: Price("100000")!))
        let close = f.closePlan()
        try await f.send(close)
        let result = try await watcher.result(close.planID)
        #expect(result.decision == .skipped && result.reason == .noPosition)
        #expect(await f.ordersOnExchange(close.clientOrderID) == 0)
    }

    @Test func FM36_theAllowlistGatesOpensOnly() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await opened(f)
        await f.stopServices()
        // The universe changes: BTC leaves the allowlist while a BTC position is open.
        let g = f.restarted { $0.allowlist = [PipelineFixture.eth] }
        try await g.startExecutor()
        let close = g.closePlan()
        try await g.send(close)
        #expect(try await watcher.result(close.planID).executed)
        let open = try g.openPlan(epoch: 2)
        try await g.send(open)
        let refused = try await watcher.result(open.planID)
        #expect(refused.reason == .notInAllowlist)
    }

    @Test func FM43_oneKillSwitchHaltsOpensAndAllowsExits() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await opened(f)
        try await KillSwitch(store: f.store).halt(reason: "operator", at: f.clock.now())
        let open = try f.openPlan(PipelineFixture.eth, quantity: "0.5", price: "3000")
        try await f.send(open)
        #expect(try await watcher.result(open.planID).reason == .killSwitch)
        let close = f.closePlan()
        try await f.send(close)
        #expect(try await watcher.result(close.planID).executed)
        try await KillSwitch(store: f.store).resume()
        let again = try f.openPlan(PipelineFixture.eth, quantity: "0.5", price: "3000", attempt: 1)
        try await f.send(again)
        #expect(try await watcher.result(again.planID).executed)
    }
}
