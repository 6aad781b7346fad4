import QuantumBinance
import QuantumCore
import QuantumTestSupport
import QuantumVenue
import Testing

/// An open never waits inside the adapter for rate-limit budget; an exit does.
@Suite(.timeLimit(.minutes(1))) struct EntryBudgetTests {
    /// Found by the soak (24 h, seed 18): an open judged by the guard waited 110 s in the budget through a 429 storm,
    /// then went out 80 s after its plan had expired and after the kill switch had been pulled. Now it comes back at
    /// once as "not sent, retry after", and the executor judges it again before any send. (The test's clock does not
    /// move: an open that waited would never return.)
    @Test func Fault_anOpenWithoutBudgetIsNotSentAndComesBackAtOnce() async throws {
        let fixture = try await VenueFixture.start()
        defer { Task { await fixture.stop() } }
        let venue = fixture.venue
        _ = try await venue.symbolRules()
        await fixture.host.updateFaults { $0.rateLimitStorm = 1 }
        let open = VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"),
                                     clientOrderID: .test("o-budget-1"))
        guard case .notSent = await venue.place(open) else { Issue.record("a 429 is not sent"); return }
        let sentBefore = await fixture.host.requestLog.count

        // The budget now holds every request until Retry-After: the next open is not sent and does not wait.
        let again = VenueOrderRequest(symbol: VenueFixture.btc, side: .buy, quantity: try Quantity(parsing: "0.01"),
                                      clientOrderID: .test("o-budget-2"))
        guard case .notSent(let error) = await venue.place(again) else { Issue.record("expected not sent"); return }
        #expect(error.code == .rateLimited)
        #expect((error.retryAfter ?? .zero) > .zero)
        #expect(await fixture.host.requestLog.count == sentBefore)

        // An exit waits for the budget (exits are never gated) and then goes.
        let exit = VenueOrderRequest(symbol: VenueFixture.btc, side: .sell, quantity: try Quantity(parsing: "0.01"), reduceOnly: true,
                                     clientOrderID: .test("c-budget-3"))
        let closing = Task { await venue.place(exit) }
        let wakeUp = await fixture.clock.nextSleeper()
        fixture.clock.advance(to: wakeUp)
        let placement = await closing.value
        if case .notSent = placement { Issue.record("the exit was dropped instead of waiting: \(placement)") }
        #expect(await fixture.host.requestLog.count == sentBefore + 1)
    }
}
