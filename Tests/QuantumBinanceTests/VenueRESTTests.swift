import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// The adapter's typed REST surface against the simulator.
@Suite(.timeLimit(.minutes(3))) struct VenueRESTTests {
    @Test func referenceDataAndAccountDecode() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let venue = fixture.venue
        let rules = try await venue.symbolRules()
        #expect(rules[VenueFixture.btc]?.tickSize == (try Price(parsing: "0.1")))
        #expect(try await venue.serverTime() == fixture.clock.now())
        let account = try await venue.account()
        #expect(account.walletBalance == (try Notional(parsing: "10000")))
        #expect(account.canTrade)
        #expect(try await venue.positions(symbol: nil).isEmpty)
        #expect(try await venue.positionMode() == .oneWay)
        let configuration = try await venue.symbolConfigurations(symbol: VenueFixture.btc)
        #expect(configuration.first?.symbol == VenueFixture.btc)
    }

    @Test func aFillShowsInPositionsAndTrades() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let venue = fixture.venue
        let id = ClientOrderID.test("fill-1")
        _ = await venue.submit(VenueOrderRequest(symbol: VenueFixture.btc, side: .sell, quantity: try Quantity(parsing: "0.002"), clientOrderID: id))
        let position = try #require(try await venue.positions(symbol: nil).first)
        #expect(position.quantity == (try Quantity(parsing: "-0.002")))
        #expect(position.direction == .short)
        #expect(position.leverage != nil)
        let trades = try await venue.userTrades(symbol: VenueFixture.btc, from: nil, limit: 100)
        #expect(trades.count == 1)
        #expect(trades.first?.side == .sell)
        #expect(trades.first?.commission.isPositive == true)
    }

    @Test func limitOrdersRestAndCancelByClientID() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let venue = fixture.venue
        let id = ClientOrderID.test("limit-1")
        let submission = await venue.submit(VenueOrderRequest(
            symbol: VenueFixture.btc, side: .buy, type: .limit, quantity: try Quantity(parsing: "0.01"), price: try Price(parsing: "90000"),
            clientOrderID: id))
        guard case .accepted(let order) = submission.outcome else { Issue.record("expected accepted, got \(submission.outcome)"); return }
        #expect(order.status == .new && order.type == .limit)
        #expect(try await venue.openOrders(symbol: VenueFixture.btc).map(\.clientOrderID) == [id.rawValue])
        let cancelled = try await venue.cancel(id, symbol: VenueFixture.btc)
        #expect(cancelled?.status == .canceled)
        #expect(try await venue.cancel(id, symbol: VenueFixture.btc) == nil)
        #expect(try await venue.order(.test("never-sent"), symbol: VenueFixture.btc, priority: .reconciliation) == nil)
    }

    @Test func conditionalOrdersAreQueriedListedAndCancelled() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let venue = fixture.venue
        _ = await venue.submit(VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"), clientOrderID: .test("e")))
        let id = ClientOrderID.test("sl-1")
        _ = await venue.submitConditional(.protectiveStop(symbol: VenueFixture.btc, direction: .long, triggerPrice: try Price(parsing: "95000"),
                                                          clientAlgoID: id))
        #expect(try await venue.conditionalOrder(id)?.triggerPrice == (try Price(parsing: "95000")))
        #expect(try await venue.openConditionalOrders(symbol: nil).map(\.clientAlgoID) == [id.rawValue])
        #expect(try await venue.cancelConditional(id)?.status == .canceled)
        #expect(try await venue.openConditionalOrders(symbol: nil).isEmpty)
        #expect(try await venue.conditionalOrder(.test("nope")) == nil)
    }

    @Test func leverageAndMarginTypeAreSetAndReadBack() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let venue = fixture.venue
        let set = try await venue.setLeverage(Leverage(rawValue: 7)!, for: VenueFixture.eth)
        #expect(set.leverage.rawValue == 7)
        try await venue.setMarginType(.isolated, for: VenueFixture.eth)
        try await venue.setMarginType(.isolated, for: VenueFixture.eth)  // -4046 "no need to change" is success
        let read = try #require(try await venue.symbolConfigurations(symbol: VenueFixture.eth).first)
        #expect(read.leverage.rawValue == 7 && read.marginType == .isolated)
    }

    @Test func exchangeErrorsAreTyped() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        _ = await fixture.venue.submit(VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"),
                                                         clientOrderID: .test("pos")))
        // The margin type cannot change while a position exists: -4048, a definite rejection.
        let error = await #expect(throws: VenueError.self) { try await fixture.venue.setMarginType(.isolated, for: VenueFixture.btc) }
        #expect(error?.code == .rejected)
        #expect(error?.binanceCode == -4048)
        #expect(error?.httpStatus == 400)
        #expect(error?.isAmbiguous == false)
    }
}
