import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// Market streams: typed updates, and a `reconnected` marker after every (re)connect.
@Suite(.timeLimit(.minutes(3))) struct MarketStreamTests {
    @Test func updatesArriveAndReconnectsAreAnnounced() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let events = EventCollector<MarketEvent>()
        let subscriptions: [MarketSubscription] = [.kline(VenueFixture.btc, .oneMinute), .markPrice(VenueFixture.btc), .bookTicker(VenueFixture.btc)]
        let stream = Task { try await fixture.venue.runMarketStreams(subscriptions, events.handler) }
        defer { stream.cancel() }
        _ = try await events.next { event -> EpochMillis? in
            if case .reconnected(let time) = event { return time }
            return nil
        }
        // Once the server has registered the connection, a tick reaches it.
        while await fixture.host.connectionCount == 0 { await Task.yield() }
        fixture.clock.advance(by: .seconds(1))
        try await fixture.tick(VenueFixture.btc, "100100")
        let kline = try await events.next { event -> KlineUpdate? in
            if case .kline(let update) = event { return update }
            return nil
        }
        let mark = try await events.next { event -> MarkPriceUpdate? in
            if case .markPrice(let update) = event { return update }
            return nil
        }
        #expect(mark.markPrice == (try Price(parsing: "100100")))
        #expect(kline.symbol == VenueFixture.btc && kline.interval == .oneMinute)
        await fixture.host.disconnectAll()
        _ = try await events.next { event -> EpochMillis? in
            if case .reconnected(let time) = event { return time }
            return nil
        }
        #expect(fixture.venue.streamHealth().market.connects == 2)
    }

    @Test func klinesBackfillOverREST() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        for minute in 1...3 {
            fixture.clock.advance(by: .seconds(60))
            try await fixture.tick(VenueFixture.btc, String(100_000 + minute * 10))
        }
        let bars = try await fixture.venue.klines(symbol: VenueFixture.btc, interval: .oneMinute, limit: 10)
        #expect(bars.count >= 3)
        #expect(bars.map(\.openTime) == bars.map(\.openTime).sorted())
        let expectedClose = try Price(parsing: "100030")
        #expect(bars.last?.close == expectedClose)
        let earlierBarsClosed = bars.dropLast().allSatisfy(\.isClosed)
        #expect(earlierBarsClosed)
    }
}
