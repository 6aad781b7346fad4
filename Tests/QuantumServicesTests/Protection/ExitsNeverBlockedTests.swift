import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// Invariant 4: whatever stops opens — the kill switch, the risk guard, the allowlist, cooldowns, stale
/// equity, a halted or unprotected symbol, a dead signal-bot — never stops an exit. For each gate: a
/// position is opened, the gate closes, an open is refused by it, and a full close still executes.
@Suite(.timeLimit(.minutes(3))) struct ExitsNeverBlockedTests {
    enum Gate: String, CaseIterable, Sendable {
        case killSwitch, riskGuard, allowlist, cooldown, staleEquity, symbolHalt, unprotectedPosition, signalBotDead
    }

    @Test(arguments: Gate.allCases)
    func anExitExecutesWhileTheGateRefusesOpens(_ gate: Gate) async throws {
        var f = try await PipelineFixture.start { if gate == .cooldown { $0.churnLimit = 1 } }
        defer { Task { [f] in await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await ProtectiveStopTests.open(f, results)

        var expected: DecisionReason?
        var ethEpoch: UInt64 = 1
        switch gate {
        case .killSwitch:
            try await KillSwitch(store: f.store).halt(reason: "operator", at: f.clock.now())
            expected = .killSwitch
        case .symbolHalt:
            try await f.store.setFields(StateKey.symbolHalt(PipelineFixture.eth), ["reason": "drift", "since": "1"])
            expected = .symbolHalted
        case .unprotectedPosition:
            try await f.store.setFields(StateKey.unprotected, ["SOLUSDT": "1"])
            expected = .unprotectedPosition
        case .riskGuard:
            f = try await restart(f) { $0.risk.maxConsecutiveLosses = 0 }
            expected = .consecutiveLosses
        case .allowlist:
            f = try await restart(f) { $0.allowlist = [PipelineFixture.btc] }
            expected = .notInAllowlist
        case .cooldown:
            // One open per window: ETH opened and closed once is paused for the window.
            let first = try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000")
            try await f.send(first)
            #expect(try await results.result(first.planID).executed)
            let close = f.closePlan(PipelineFixture.eth)
            try await f.send(close)
            #expect(try await results.result(close.planID).executed)
            ethEpoch = 2
            expected = .churnBreaker
        case .staleEquity:
            f = try await restart(f) { $0.risk.equityMaxAge = .milliseconds(1) }
            f.clock.advance(by: .milliseconds(10))
            expected = .equityStale
        case .signalBotDead:
            // No signal-bot heartbeat for ten minutes: nothing on the exit path depends on it.
            f.clock.advance(by: .seconds(600))
            expected = nil
        }

        if let expected {
            let open = try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000", epoch: ethEpoch)
            try await f.send(open)
            let refused = try await results.result(open.planID)
            #expect(refused.reason == expected, "\(gate): \(refused)")
        }
        let close = f.closePlan()
        try await f.send(close)
        let closed = try await results.result(close.planID)
        #expect(closed.decision == .executed, "\(gate): \(closed)")
        #expect(try await f.exchangePosition() == .zero)
    }

    /// The same exchange, bus and store under an executor with other settings (its gate).
    private func restart(_ f: PipelineFixture, _ configure: (inout ApplyLayerConfiguration) -> Void) async throws -> PipelineFixture {
        await f.stopServices()
        let next = f.restarted(configure)
        try await next.startExecutor()
        return next
    }
}
