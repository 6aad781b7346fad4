import QuantumBus
import QuantumCore
import QuantumExchange
@testable import QuantumServices
import Testing

/// Plans of one symbol run in order; plans of different symbols never wait for each other.
@Suite(.timeLimit(.minutes(1))) struct PlanLanesTests {
    /// Found by the soak (24 h, seeds 8 and 9): a close read while a slow open of another symbol was in flight (its
    /// order held by the exchange past the client's timeout) waited for that open's whole batch and missed its deadline.
    /// The held open ends only when the adapter's request times out; the close must be answered before it.
    @Test func Fault_anExitNeverWaitsForASlowOpenOfAnotherSymbol() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let eth = try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000")
        try await f.send(eth)
        #expect(try await watcher.result(eth.planID).executed)

        // The next placement is held at the exchange for a minute of the test's clock.
        await f.host.updateFaults { $0.delayedPlacements = 1; $0.placementDelay = .seconds(60) }
        let btc = try f.openPlan(PipelineFixture.btc)
        try await f.send(btc)
        while await f.host.faults.delayedPlacements > 0 { await Task.yield() }

        let close = f.closePlan(PipelineFixture.eth)
        try await f.send(close)
        let result = try await watcher.result(close.planID)
        #expect(result.executed, "\(result)")
        #expect(try await f.exchangePosition(PipelineFixture.eth) == .zero)
        let answered = try await f.results().map(\.planID)
        let closeAt = answered.firstIndex(of: close.planID), openAt = answered.firstIndex(of: btc.planID)
        #expect(openAt == nil || closeAt! < openAt!, "the close waited for the held open of another symbol: \(answered)")
    }
}
