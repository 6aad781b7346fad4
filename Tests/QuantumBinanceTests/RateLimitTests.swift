import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// The adapter's budget follows the venue's declared limits and headers, keeps headroom for
/// protective requests, backs off on 429 and halts on 418.
@Suite(.timeLimit(.minutes(3))) struct RateLimitTests {
    /// A simulator with a 20-weight minute.
    static func smallWeightFixture() async throws -> VenueFixture {
        let fixture = try await VenueFixture.start(desk: { $0.weights.limit = 20 })
        _ = try await fixture.venue.symbolRules()  // adopts the declared REQUEST_WEIGHT of 20
        return fixture
    }

    @Test func theDeclaredLimitIsAdopted() async throws {
        let fixture = try await Self.smallWeightFixture()
        defer { Task { await fixture.stop() } }
        let headroom = fixture.venue.headroom(for: .protective)
        #expect(headroom.weight == 20 - 1)
    }

    @Test func reconciliationWaitsForTheNextWindowWhileAProtectiveRequestGoesFirst() async throws {
        let fixture = try await Self.smallWeightFixture()
        defer { Task { await fixture.stop() } }
        let venue = fixture.venue
        // exchangeInfo 1 + 3 × positionRisk 5 = 16; the reconciliation ceiling is 90 % of 20 = 18.
        _ = try await venue.positions(symbol: nil)
        _ = try await venue.positions(symbol: nil)
        _ = try await venue.positions(symbol: nil)
        let waiting = Task { try await venue.positions(symbol: nil) }
        let wakeUp = await fixture.clock.nextSleeper()
        #expect(wakeUp.rawValue % 60_000 == 0)  // the next minute window
        // A protective cancel (weight 1) still fits under the protective ceiling and goes now.
        #expect(try await venue.cancel(.test("none"), symbol: VenueFixture.btc) == nil)
        fixture.clock.advance(to: wakeUp)
        _ = try await waiting.value
        let log = await fixture.host.requestLog
        let cancelIndex = try #require(log.firstIndex { $0.method == "DELETE" })
        let lastPositions = try #require(log.lastIndex { $0.path == "/fapi/v2/positionRisk" })
        #expect(cancelIndex < lastPositions)
        #expect(log.allSatisfy { $0.status != 429 && $0.status != 418 })
    }

    @Test func weightUsedByAnotherClientIsReadFromTheHeaders() async throws {
        let fixture = try await Self.smallWeightFixture()
        defer { Task { await fixture.stop() } }
        // Another process on the same IP spends 15 weight (3 klines of weight 5).
        for _ in 0..<3 { try await Self.rawGet(fixture, "/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1000") }
        _ = try await fixture.venue.serverTime()  // its reply says 1 + 15 + 1 = 17 used; the adapter alone spent 2
        #expect(fixture.venue.headroom(for: .reconciliation).weight == 18 - 17)
        #expect(fixture.venue.headroom(for: .entry).weight == 14 - 17)
        #expect(fixture.venue.headroom(for: .protective).weight == 20 - 17)
        let waiting = Task { try await fixture.venue.positions(symbol: nil) }  // 5 more would pass the ceiling: it waits
        let wakeUp = await fixture.clock.nextSleeper()
        fixture.clock.advance(to: wakeUp)
        _ = try await waiting.value
        #expect(await fixture.host.requestLog.allSatisfy { $0.status != 418 })
    }

    @Test func aBanHaltsEveryRequestWithoutSendingIt() async throws {
        let fixture = try await Self.smallWeightFixture()
        defer { Task { await fixture.stop() } }
        // Another client on this IP ignores a 429 and gets the IP banned.
        for _ in 0..<5 { try await Self.rawGet(fixture, "/fapi/v1/klines?symbol=BTCUSDT&interval=1m&limit=1000") }
        let error = await #expect(throws: VenueError.self) { try await fixture.venue.account() }
        #expect(error?.code == .banned)
        #expect(fixture.venue.streamHealth().bannedUntil != nil)
        let sent = await fixture.host.requestLog.count
        let again = await #expect(throws: VenueError.self) { try await fixture.venue.serverTime() }
        #expect(again?.code == .banned)
        #expect(await fixture.host.requestLog.count == sent)  // refused locally, nothing sent
        // A protective order is refused too, with a typed outcome instead of a hang.
        let submission = await fixture.venue.submit(VenueOrderRequest(symbol: VenueFixture.btc, side: .sell, quantity: try Quantity(parsing: "0.01"),
                                                                      reduceOnly: true, clientOrderID: .test("during-ban")))
        guard case .rejected(let refused) = submission.outcome else { Issue.record("expected rejected, got \(submission.outcome)"); return }
        #expect(refused.code == .banned)
    }

    static func rawGet(_ fixture: VenueFixture, _ pathAndQuery: String) async throws {
        let request = HTTPClientRequest(url: try #require(fixture.exchange).baseURL + pathAndQuery)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        _ = try await response.body.collect(upTo: 1 << 24)
    }
}
