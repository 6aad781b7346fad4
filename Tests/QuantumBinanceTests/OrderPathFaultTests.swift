import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// The order path under the faults a review of Binance's semantics found: unknown outcomes that are not
/// rejections, and timestamps signed before a rate-limit wait.
@Suite(.timeLimit(.minutes(3))) struct OrderPathFaultTests {
    static func marketBuy(_ id: ClientOrderID) throws -> VenueOrderRequest {
        VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"), clientOrderID: id)
    }

    /// HTTP 408 (backend timeout, -1007) after the order executed: one order, found by query, reported filled.
    @Test(arguments: [408, 502, 503, 504])
    func Fault_anUnknownOutcomeAfterExecutionIsFoundNotRejected(status: Int) async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.failedAfterExecution = 1; $0.serverErrorStatus = status }
        let id = ClientOrderID.test("unknown-\(status)")
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .filled = submission.outcome else { Issue.record("HTTP \(status): expected filled, got \(submission.outcome)"); return }
        let log = await fixture.requests(for: id)
        #expect(log.map(\.method) == ["POST", "GET"])
        #expect(log.first?.status == status)
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    /// Orders that must wait for the order-count window are signed when they leave, not before the wait:
    /// none is refused for its timestamp (-1021), so none needs a second send.
    @Test func Fault_anOrderIsSignedAfterItsRateLimitWait() async throws {
        let fixture = try await VenueFixture.start(virtualTime: true, desk: { $0.orderCounts.perTenSeconds = 2 })
        defer { Task { await fixture.stop() } }
        _ = try await fixture.venue.symbolRules()  // adopts the declared ORDERS limit of 2 per 10 s
        var ids: [ClientOrderID] = []
        let started = fixture.clock.now()
        for n in 0..<5 {
            let id = ClientOrderID.test("signed-late-\(n)")
            ids.append(id)
            let submission = await fixture.venue.submit(try Self.marketBuy(id))
            guard case .filled = submission.outcome else { Issue.record("order \(n): \(submission.outcome)"); return }
            #expect(submission.sends == 1, "order \(n) was sent \(submission.sends) times")
        }
        // The budget made them wait for later windows (more than the 5 s recvWindow)…
        #expect(fixture.clock.now().duration(since: started) >= .seconds(10))
        // …and every POST was accepted as sent.
        for id in ids {
            let posts = await fixture.requests(for: id).filter { $0.method == "POST" }
            #expect(posts.map(\.status) == [200], "\(id): \(posts.map(\.status))")
        }
    }
}
