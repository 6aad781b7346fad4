import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// FM-26 for real: the exchange refuses opens for margin although the pre-trade check passed.
@Suite(.timeLimit(.minutes(3))) struct MarginRefusalTests {
    @Test func FM26_marginRefusalsPauseOpensWithoutAStormWhileClosesStillExecute() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        let eth = try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000")
        try await f.send(eth)
        #expect(try await results.result(eth.planID).executed)

        await f.venue.faults { $0.refusedOpens = 1_000 }
        let limit = f.configuration.risk.marginRefusalLimit
        for attempt in 0..<limit {
            let open = try f.openPlan(attempt: attempt)
            try await f.send(open)
            let result = try await results.result(open.planID)
            #expect(result.decision == .rejected && result.reason?.word == "venue_rejected:-2019", "attempt \(attempt): \(String(describing: result.reason))")
            // Sent once: a definite refusal is not retried.
            #expect(await f.venue.requests(for: open.clientOrderID).filter { $0.method == "POST" }.count == 1)
        }
        let pauses = OpenPauses(fields: try await f.store.fields(StateKey.openPauses))
        let until = try #require(pauses.until[.marginRefusals])
        #expect(until == f.clock.now().advanced(by: f.configuration.risk.marginRefusalPause))

        // The next open is refused by the pause before it reaches the exchange.
        let paused = try f.openPlan(attempt: limit)
        try await f.send(paused)
        #expect(try await results.result(paused.planID).reason == .marginRefusalPause)
        #expect(await f.ordersOnExchange(paused.clientOrderID) == 0)
        // Closes still execute.
        let close = f.closePlan(PipelineFixture.eth)
        try await f.send(close)
        #expect(try await results.result(close.planID).executed)
        #expect(try await f.exchangePosition(PipelineFixture.eth) == .zero)
    }
}
