import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// The adapter behaves the same in process as over loopback: REST, the user stream, and the
/// simulator's injected faults.
@Suite(.timeLimit(.minutes(3))) struct InProcessTransportTests {
    static func buy(_ id: ClientOrderID) throws -> VenueOrderRequest {
        VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"), clientOrderID: id)
    }

    @Test(arguments: VenueFixture.Transport.allCases)
    func anOrderFillsAndIsQueryable(_ transport: VenueFixture.Transport) async throws {
        let fixture = try await VenueFixture.start(transport: transport)
        defer { Task { await fixture.stop() } }
        #expect(try await fixture.venue.serverTime() == fixture.clock.now())
        let id = ClientOrderID.test("inproc-1")
        let submission = await fixture.venue.submit(try Self.buy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        let order = try #require(try await fixture.venue.order(id, symbol: VenueFixture.btc, priority: .entry))
        #expect(order.executedQuantity == (try Quantity(parsing: "0.01")))
        #expect(try await fixture.venue.order(ClientOrderID.test("absent"), symbol: VenueFixture.btc, priority: .entry) == nil)
        #expect(try await fixture.venue.positions(symbol: VenueFixture.btc).first?.quantity == (try Quantity(parsing: "0.01")))
    }

    @Test(arguments: VenueFixture.Transport.allCases)
    func aDroppedReplyIsResolvedByQueryNotResent(_ transport: VenueFixture.Transport) async throws {
        let fixture = try await VenueFixture.start(transport: transport)
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.droppedResponses = 1 }
        let id = ClientOrderID.test("inproc-dropped")
        let submission = await fixture.venue.submit(try Self.buy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        #expect(submission.sends == 1 && submission.queries >= 1)
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func aGarbledReplyIsUndecodableAndResolvedByQuery() async throws {
        let fixture = try await VenueFixture.start(transport: .inProcess)
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.garbledResponses = 1 }
        let id = ClientOrderID.test("inproc-garbled")
        let submission = await fixture.venue.submit(try Self.buy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        #expect(submission.sends == 1 && submission.queries >= 1)
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func errorsKeepTheirStatusAndCode() async throws {
        let fixture = try await VenueFixture.start(transport: .inProcess)
        defer { Task { await fixture.stop() } }
        let unknown = Symbol("NOPEUSDT")
        do {
            _ = try await fixture.venue.cancel(.test("x"), symbol: unknown)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .rejected)
            #expect(error.httpStatus == 400)
        }
    }

    @Test func theUserStreamCarriesTheFillInProcess() async throws {
        let fixture = try await VenueFixture.start(transport: .inProcess)
        let events = EventCollector<VenueEvent>()
        let stream = Task { try await fixture.venue.runUserStream(symbols: [VenueFixture.btc], events.handler) }
        defer {
            stream.cancel()
            Task { await fixture.stop() }
        }
        _ = try await events.next { event -> VenueSnapshot? in
            if case .resynced(let snapshot) = event { return snapshot }
            return nil
        }
        let id = ClientOrderID.test("inproc-stream")
        _ = await fixture.venue.submit(try Self.buy(id))
        let trade = try await events.next { event -> UserTrade? in
            if case .order(let update) = event, update.clientOrderID == id.rawValue { return update.trade }
            return nil
        }
        #expect(trade.quantity == (try Quantity(parsing: "0.01")))
        #expect(fixture.venue.streamHealth().user.isConnected)
    }

    @Test func pathAndQueryAreSplitFromTheURL() {
        #expect(TransportRequest(method: "GET", url: "http://h:1/fapi/v1/order?symbol=BTCUSDT&x=1").pathAndQuery == ("/fapi/v1/order", "symbol=BTCUSDT&x=1"))
        #expect(TransportRequest(method: "GET", url: "ws://h/ws/abc").pathAndQuery == ("/ws/abc", ""))
        #expect(TransportRequest(method: "GET", url: "http://h").pathAndQuery == ("/", ""))
    }
}
