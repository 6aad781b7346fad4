import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumTestSupport
import QuantumVenue
import Testing

/// The user-data stream: events in order, a resync after every connect, fills missed while
/// disconnected recovered, listen-key keep-alive and expiry survived.
@Suite(.timeLimit(.minutes(3))) struct UserStreamTests {
    static func snapshot(_ event: VenueEvent) -> VenueSnapshot? {
        if case .resynced(let snapshot) = event { return snapshot }
        return nil
    }

    static func fill(of id: ClientOrderID) -> @Sendable (VenueEvent) -> UserTrade? {
        { event in
            if case .order(let update) = event, update.clientOrderID == id.rawValue { return update.trade }
            return nil
        }
    }

    static func buy(_ id: ClientOrderID) throws -> VenueOrderRequest {
        VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"), clientOrderID: id)
    }

    /// A simulator, an adapter, and its user stream running into a collector.
    static func startStream() async throws -> (VenueFixture, EventCollector<VenueEvent>, Task<Void, any Error>) {
        let fixture = try await VenueFixture.start()
        let events = EventCollector<VenueEvent>()
        let stream = Task { try await fixture.venue.runUserStream(symbols: [VenueFixture.btc], events.handler) }
        return (fixture, events, stream)
    }

    @Test func eventsFollowAResyncAndCarryTheFill() async throws {
        let (fixture, events, stream) = try await Self.startStream()
        defer {
            stream.cancel()
            Task { await fixture.stop() }
        }
        let first = try await events.next(Self.snapshot)
        #expect(first.positions.isEmpty && first.missedTrades.isEmpty)
        let id = ClientOrderID.test("stream-1")
        _ = await fixture.venue.submit(try Self.buy(id))
        let trade = try await events.next(Self.fill(of: id))
        #expect(trade.quantity == (try Quantity(parsing: "0.01")))
        let change = try await events.next { event -> AccountChange? in
            if case .account(let change) = event { return change }
            return nil
        }
        #expect(change.positions.first?.quantity == (try Quantity(parsing: "0.01")))
        let health = fixture.venue.streamHealth()
        #expect(health.user.isConnected && health.listenKeysCreated == 1 && health.resyncs == 1)
    }

    @Test func aFillMissedWhileDisconnectedIsRecoveredByTheResync() async throws {
        let (fixture, events, stream) = try await Self.startStream()
        defer {
            stream.cancel()
            Task { await fixture.stop() }
        }
        _ = try await events.next(Self.snapshot)
        // The connection drops; the adapter waits its backoff before reconnecting.
        #expect(await fixture.host.disconnectAll() == 1)
        let reconnectAt = await fixture.clock.sleeper(dueBy: fixture.clock.now().advanced(by: .seconds(60)))
        // Meanwhile an order fills (a stop, a manual trade): its events reach nobody.
        let id = ClientOrderID.test("while-down")
        _ = await fixture.venue.submit(try Self.buy(id))
        fixture.clock.advance(to: reconnectAt)
        let resync = try await events.next(Self.snapshot)
        let missed = try #require(resync.missedTrades.first)
        #expect(resync.missedTrades.count == 1)
        #expect(missed.quantity == (try Quantity(parsing: "0.01")))
        #expect(resync.positions.first?.quantity == (try Quantity(parsing: "0.01")))
        let health = fixture.venue.streamHealth()
        #expect(health.user.connects == 2 && health.user.disconnects == 1 && health.recoveredTrades == 1)
        // The new connection delivers events again.
        let next = ClientOrderID.test("after-reconnect")
        _ = await fixture.venue.submit(try Self.buy(next))
        _ = try await events.next(Self.fill(of: next))
    }

    @Test func aFillSeenOnTheStreamIsNotReportedMissed() async throws {
        let (fixture, events, stream) = try await Self.startStream()
        defer {
            stream.cancel()
            Task { await fixture.stop() }
        }
        _ = try await events.next(Self.snapshot)
        let id = ClientOrderID.test("seen")
        _ = await fixture.venue.submit(try Self.buy(id))
        _ = try await events.next(Self.fill(of: id))
        await fixture.host.disconnectAll()
        let resync = try await events.next(Self.snapshot)
        #expect(resync.trades.count == 1)
        #expect(resync.missedTrades.isEmpty)
    }

    @Test func theListenKeyIsKeptAliveAndItsExpiryIsSurvived() async throws {
        let (fixture, events, stream) = try await Self.startStream()
        defer {
            stream.cancel()
            Task { await fixture.stop() }
        }
        _ = try await events.next(Self.snapshot)
        // Keep-alive after 30 minutes.
        let keepAlive = await fixture.clock.nextSleeper()
        fixture.clock.advance(to: keepAlive)
        while await !fixture.host.requestLog.contains(where: { $0.method == "PUT" }) {
            try Task.checkCancellation()  // the time limit ends the wait
            await Task.yield()
        }
        #expect(fixture.venue.streamHealth().listenKeysCreated == 1)
        // The host sleeps through the next keep-alive: 61 minutes pass, the key expires.
        _ = await fixture.clock.nextSleeper()
        fixture.clock.advance(by: .seconds(61 * 60))
        await fixture.host.expireListenKeys()
        let resync = try await events.next(Self.snapshot)
        #expect(resync.time >= keepAlive)
        #expect(fixture.venue.streamHealth().listenKeysCreated == 2)
        let id = ClientOrderID.test("after-expiry")
        _ = await fixture.venue.submit(try Self.buy(id))
        _ = try await events.next(Self.fill(of: id))
    }
}
