import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// Every ambiguous outcome the simulator can inject ends with exactly one order on the exchange, and
/// the adapter never sends the order a second time before it has queried for the first.
@Suite(.timeLimit(.minutes(3))) struct AmbiguousSubmissionTests {
    static func marketBuy(_ id: ClientOrderID) throws -> VenueOrderRequest {
        VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"), clientOrderID: id)
    }

    /// Whether every POST after the first was preceded by a query (GET) of the same id.
    static func noResendBeforeQuery(_ log: [RequestRecord]) -> Bool {
        var queriedSinceLastPost = true
        for record in log {
            if record.method == "POST" {
                if !queriedSinceLastPost { return false }
                queriedSinceLastPost = false
            } else if record.method == "GET" {
                queriedSinceLastPost = true
            }
        }
        return true
    }

    @Test func aPlainSubmissionSendsOnceAndQueriesNothing() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let id = ClientOrderID.test("plain-1")
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .filled(let order) = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        #expect(order.clientOrderID == id.rawValue)
        #expect(order.executedQuantity == (try Quantity(parsing: "0.01")))
        #expect(submission.sends == 1 && submission.queries == 0)
        #expect(await fixture.requests(for: id).map(\.method) == ["POST"])
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func aDroppedReplyIsResolvedByQueryNotResent() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.droppedResponses = 1 }
        let id = ClientOrderID.test("dropped-1")
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        #expect(submission.sends == 1)
        #expect(submission.queries >= 1)
        let log = await fixture.requests(for: id)
        #expect(log.first?.method == "POST" && log.first?.status == nil)
        #expect(log.filter { $0.method == "POST" }.count == 1)
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func aServerErrorAfterExecutionIsResolvedByQuery() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.failedAfterExecution = 1 }
        let id = ClientOrderID.test("5xx-executed")
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        let log = await fixture.requests(for: id)
        #expect(log.map(\.method) == ["POST", "GET"])
        #expect(log.first?.status == 503)
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func anUnreadableReplyIsResolvedByQuery() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.garbledResponses = 1 }
        let id = ClientOrderID.test("garbled")
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        #expect(await fixture.requests(for: id).map(\.method) == ["POST", "GET"])
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func aTimeoutIsResolvedByQuery() async throws {
        // Virtual time: the resolver's waits between queries must not depend on a frozen clock (a query that times out
        // on a loaded machine waits its backoff); the simulator's reply delay is real time either way.
        let fixture = try await VenueFixture.start(virtualTime: true, configure: { $0.requestTimeout = .milliseconds(300) })
        defer { Task { await fixture.stop() } }
        await fixture.faults {
            $0.delayedPlacements = 1
            $0.placementDelay = .seconds(2)
        }
        let id = ClientOrderID.test("timeout")
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        let log = await fixture.requests(for: id)
        #expect(log.filter { $0.method == "POST" }.count == 1)
        #expect(log.contains { $0.method == "GET" })
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func aServerErrorBeforeExecutionResendsOnlyAfterProvenAbsence() async throws {
        let fixture = try await VenueFixture.start(virtualTime: true)
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.serverErrors = 1 }
        let id = ClientOrderID.test("5xx-not-executed")
        let started = fixture.clock.now()
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        let log = await fixture.requests(for: id)
        #expect(log.first?.method == "POST" && log.first?.status == 503)
        #expect(log.filter { $0.method == "POST" }.count == 2)
        #expect(Self.noResendBeforeQuery(log))
        // The resend waited until the lost request could no longer be accepted (timestamp + recvWindow + margin).
        let resend = try #require(log.last { $0.method == "POST" })
        #expect(resend.time.duration(since: started) >= .seconds(6))
        #expect(submission.sends == 2)
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func aRateLimitStormWaitsAndResendsARefusedOrder() async throws {
        let fixture = try await VenueFixture.start(virtualTime: true)
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.rateLimitStorm = 1 }
        let id = ClientOrderID.test("storm")
        let started = fixture.clock.now()
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .filled = submission.outcome else { Issue.record("expected filled, got \(submission.outcome)"); return }
        let log = await fixture.requests(for: id)
        #expect(log.map(\.status) == [429, 200])
        // Retry-After (60 s) was obeyed before the second send.
        #expect(log[1].time.duration(since: started) >= .seconds(60))
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func aMarketOrderThatRepliesNewIsAcceptedAndItsFillIsQueryable() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        await fixture.faults { $0.marketRepliesNew = true }
        let id = ClientOrderID.test("replies-new")
        let submission = await fixture.venue.submit(try Self.marketBuy(id))
        guard case .accepted(let order) = submission.outcome else { Issue.record("expected accepted, got \(submission.outcome)"); return }
        #expect(order.status == .new)
        let queried = try await fixture.venue.order(id, symbol: VenueFixture.btc)
        #expect(queried?.status == .filled)
        #expect(await fixture.ordersOnExchange(id) == 1)
    }

    @Test func aDefiniteRejectionIsTypedAndNotRetried() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let id = ClientOrderID.test("too-small")
        // 0.001 ETH at 3 000 is 3 USDT, under ETHUSDT's 20 USDT minimum notional.
        let request = VenueOrderRequest(symbol: VenueFixture.eth, side: .buy, quantity: try Quantity(parsing: "0.001"), clientOrderID: id)
        let submission = await fixture.venue.submit(request)
        guard case .rejected(let error) = submission.outcome else { Issue.record("expected rejected, got \(submission.outcome)"); return }
        #expect(error.code == .rejected)
        #expect(error.binanceCode == -4164)
        #expect(await fixture.requests(for: id).map(\.method) == ["POST"])
        #expect(await fixture.ordersOnExchange(id) == 0)
    }

    @Test func aProtectiveStopWithADroppedReplyExistsOnce() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        _ = await fixture.venue.submit(try Self.marketBuy(.test("entry")))
        await fixture.faults { $0.droppedResponses = 1 }
        let id = ClientOrderID.test("stop-1")
        let stop = ConditionalOrderRequest.protectiveStop(symbol: VenueFixture.btc, direction: .long,
                                                          triggerPrice: try Price(parsing: "95000"), clientAlgoID: id)
        let submission = await fixture.venue.submitConditional(stop)
        guard case .placed(let algo) = submission.outcome else { Issue.record("expected placed, got \(submission.outcome)"); return }
        #expect(algo.status == .new && algo.closePosition)
        #expect(await fixture.requests(for: id).filter { $0.method == "POST" }.count == 1)
        #expect(await fixture.algoOrdersOnExchange(id) == 1)
    }

    @Test func aResendOfAnOpenOrderIdIsFoundNotDuplicated() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let id = ClientOrderID.test("resting")
        let limit = VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, type: .limit, quantity: try Quantity(parsing: "0.01"),
                                      price: try Price(parsing: "90000"), clientOrderID: id)
        guard case .accepted = await fixture.venue.submit(limit).outcome else { Issue.record("first submission not accepted"); return }
        // The same plan submitted again (a restart that lost its journal): -4116, then found by query.
        let again = await fixture.venue.submit(limit)
        guard case .accepted(let order) = again.outcome else { Issue.record("expected accepted, got \(again.outcome)"); return }
        #expect(order.clientOrderID == id.rawValue)
        #expect(await fixture.ordersOnExchange(id) == 1)
    }
}
