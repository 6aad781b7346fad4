import QuantumCore
@testable import QuantumServices
import QuantumVenue
import Testing

/// Named cases of the plan machine: the review's defects on the order path, each as the sequence that broke it.
@Suite(.timeLimit(.minutes(3))) struct PlanExecutionTests {
    static let symbol = Symbol(rawValue: "BTCUSDT")!
    static let t0 = EpochMillis(1_750_000_000_000)

    static func exitPlan() -> Plan {
        let identity = PlanIdentity.close(symbol, PositionEpoch(rawValue: 2)!)
        return Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: PositionEpoch(rawValue: 2)!,
                    order: .close(position: .long, reason: .killScore, killScore: nil), source: .exitBrain, intentID: "x",
                    expiresAt: t0.advanced(by: .seconds(600)), createdAt: t0)
    }

    static func openPlan() -> Plan {
        let identity = PlanIdentity.open(symbol, .long, PositionEpoch(rawValue: 2)!, attempt: 0)
        return Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: PositionEpoch(rawValue: 2)!,
                    order: .open(OpenOrder(direction: .long, quantity: Quantity("0.01")!, referencePrice: Price("100000")!,
                                           notional: Notional("1000")!, margin: Margin("100")!, leverage: Leverage(rawValue: 10)!,
                                           stopLoss: Price("98000")!, takeProfit: Price("103000")!, strategy: "t")),
                    source: .signalBot, intentID: "o", expiresAt: t0.advanced(by: .seconds(600)), createdAt: t0)
    }

    static let sell = PlanExecution.Order(side: .sell, quantity: Quantity("0.01")!, reduceOnly: true)
    static let buy = PlanExecution.Order(side: .buy, quantity: Quantity("0.01")!, reduceOnly: false)
    static let lost = OrderPlacement.unknown(VenueError(.timeout, "no reply"))

    func at(_ millis: Int64) -> EpochMillis { Self.t0.advanced(by: .milliseconds(millis)) }

    /// Defect 2: absence is proven against the *last* send's window. A resend at 7.2 s that gets no reply may still land
    /// until about 14 s; a "no such order" at 8 s (past the first send's window, inside the second's) proves nothing.
    @Test func Fault_aResendWaitsForItsOwnWindowNotTheFirstSends() {
        var machine = PlanExecution(plan: Self.exitPlan())
        #expect(machine.start(at: at(0)) == .gate(.first))
        #expect(machine.event(.gated(.pass(Self.sell))) == .journal(Self.sell))
        #expect(machine.event(.journaled) == .send(Self.sell))
        #expect(machine.event(.sent(Self.lost, at: at(100))) == .query(after: .zero))
        // Absent at once: not proof; asked again when the first send's window has closed.
        #expect(machine.event(.queried(.absent, at: at(150))) == .query(after: .milliseconds(6_950)))
        // Proven absent: journaled again, then sent again (same id).
        #expect(machine.event(.queried(.absent, at: at(7_150))) == .journal(Self.sell))
        #expect(machine.event(.journaled) == .send(Self.sell))
        #expect(machine.event(.sent(Self.lost, at: at(7_200))) == .query(after: .zero))
        // Past the first window, inside the second: look again, never send.
        #expect(machine.event(.queried(.absent, at: at(8_000))) == .query(after: .milliseconds(6_200)))
        // The second request lands after all: found, filled, executed.
        let filled = VenueOrder(orderID: 9, clientOrderID: Self.exitPlan().clientOrderID.rawValue, symbol: Self.symbol, side: .sell,
                                typeName: "MARKET", status: .filled, price: .zero, averagePrice: Price("100100")!,
                                originalQuantity: Quantity("0.01")!, executedQuantity: Quantity("0.01")!, cumulativeQuote: .zero,
                                reduceOnly: true, closePosition: false, updateTime: at(9_000))
        #expect(machine.event(.queried(.found(filled), at: at(14_300))) == .commit(.executed(filled)))
        #expect(machine.sends == 2)
    }

    /// Found by the soak (24 h, seed 18): the open's protective stop waited 110 s through a 429 storm, and the open then
    /// went out on the guard's verdict from before the wait — after its plan expired and the kill switch went on. Now
    /// a placed stop sends the open back to the guard, and a refusal drops the stop.
    @Test func Fault_anOpenIsJudgedAgainAfterItsStopIsPlaced() {
        var machine = PlanExecution(plan: Self.openPlan())
        #expect(machine.start(at: at(0)) == .gate(.first))
        #expect(machine.event(.gated(.pass(Self.buy))) == .placeEntryStop)
        #expect(machine.event(.entryStop(.placed, at: at(110_000))) == .gate(.resend))
        #expect(machine.event(.gated(.refuse(.rejected, .killSwitch))) == .commit(.ended(.rejected, .killSwitch)))
        let result = ApplyResult(planID: Self.openPlan().planID, symbol: Self.symbol, action: .openLong, decision: .rejected,
                                 reason: .killSwitch, createdAt: at(110_000))
        #expect(machine.event(.committed(result)) == .dropEntryStop)
        // Passed again, it goes.
        var passing = PlanExecution(plan: Self.openPlan())
        _ = passing.start(at: at(0))
        _ = passing.event(.gated(.pass(Self.buy)))
        #expect(passing.event(.entryStop(.placed, at: at(250))) == .gate(.resend), "a verdict as old as its lifetime is judged again")
        #expect(passing.event(.gated(.pass(Self.buy))) == .journal(Self.buy))
    }

    /// A stop placed quickly: the open goes out on the first verdict, which is younger than its lifetime, without a
    /// second round of guard reads.
    @Test func anOpenWhoseStopIsPlacedQuicklyGoesOnItsFirstVerdict() {
        var machine = PlanExecution(plan: Self.openPlan())
        #expect(machine.start(at: at(0)) == .gate(.first))
        #expect(machine.event(.gated(.pass(Self.buy))) == .placeEntryStop)
        #expect(machine.event(.entryStop(.placed, at: at(249))) == .journal(Self.buy))
        #expect(machine.event(.journaled) == .send(Self.buy))
        #expect(machine.entryStopPlaced)
    }

    /// Defect 5: an open found journaled after a restart is looked up; proven absent, it meets the guard again before
    /// it is sent again, and a guard that now refuses (kill switch, stale equity…) ends it with that reason.
    @Test func Fault_aResumedOpenPassesTheGuardAgainBeforeItIsSentAgain() {
        var machine = PlanExecution(plan: Self.openPlan())
        #expect(machine.resume(order: Self.buy, result: nil, published: false, at: at(1_000)) == .query(after: .zero))
        #expect(machine.event(.queried(.absent, at: at(1_050))) == .query(after: .milliseconds(6_950)))
        #expect(machine.event(.queried(.absent, at: at(8_100))) == .gate(.resend))
        #expect(machine.event(.gated(.refuse(.rejected, .killSwitch))) == .commit(.ended(.rejected, .killSwitch)))
        // Its stop was placed before it was journaled: the open that opened nothing drops it.
        let result = ApplyResult(planID: Self.openPlan().planID, symbol: Self.symbol, action: .openLong, decision: .rejected,
                                 reason: .killSwitch, createdAt: at(8_100))
        #expect(machine.event(.committed(result)) == .dropEntryStop)
        #expect(machine.event(.stopChecked) == .publish(result))
        #expect(machine.event(.published) == .finished)
    }

    /// Defect 5, the other half: a resumed exit is resent without any gate (exits are never blocked), but an expired
    /// one ends expired rather than going out late.
    @Test func Fault_aResumedExitIsResentWithoutAGate() {
        var machine = PlanExecution(plan: Self.exitPlan())
        #expect(machine.resume(order: Self.sell, result: nil, published: false, at: at(1_000)) == .query(after: .zero))
        #expect(machine.event(.queried(.absent, at: at(8_100))) == .journal(Self.sell))

        var late = PlanExecution(plan: Self.exitPlan())
        _ = late.resume(order: Self.sell, result: nil, published: false, at: at(700_000))
        #expect(late.event(.queried(.absent, at: at(708_000))) == .commit(.ended(.expired, .planExpired)))
    }

    /// Defect 4: 408, 5xx, -1006, -1007, an unreadable body and -4116 leave the order's fate unknown; 429, -1021 and a
    /// ban were refused before execution; only a plain refusal is a rejection.
    @Test func Fault_unknownOutcomesAreNeverRejections() {
        for status in [408, 500, 502, 503, 504] {
            let error = VenueError.reply(status: status, binanceCode: nil, message: "x", retryAfter: nil)
            #expect(PlanExecution.isUnknown(OrderPlacement(failure: error)), "HTTP \(status)")
        }
        for code in [-1006, -1007] {
            let error = VenueError.reply(status: 400, binanceCode: code, message: "x", retryAfter: nil)
            #expect(PlanExecution.isUnknown(OrderPlacement(failure: error)), "code \(code)")
        }
        #expect(PlanExecution.isUnknown(OrderPlacement(failure: VenueError(.undecodable, "cut off"))))
        #expect(PlanExecution.isUnknown(OrderPlacement(failure: VenueError(.rejected, "dup", binanceCode: -4116))))
        #expect(OrderPlacement(failure: VenueError.reply(status: 429, binanceCode: -1003, message: "x", retryAfter: nil))
                == .notSent(VenueError.reply(status: 429, binanceCode: -1003, message: "x", retryAfter: nil)))
        let refused = VenueError.reply(status: 400, binanceCode: -2019, message: "margin", retryAfter: nil)
        #expect(OrderPlacement(failure: refused) == .rejected(refused))
    }

    /// A plan whose order cannot be looked up stays in flight (asking again, backing off) rather than claim a result.
    @Test func aLookUpThatKeepsFailingNeverInventsAResult() {
        var machine = PlanExecution(plan: Self.exitPlan())
        _ = machine.resume(order: Self.sell, result: nil, published: false, at: at(0))
        var command = PlanExecution.Command.query(after: .zero)
        for step in 1...200 {
            command = machine.event(.queried(.failed(VenueError(.timeout, "down")), at: at(Int64(step) * 5_000)))
            guard case .query(let delay) = command else { Issue.record("step \(step): \(command)"); return }
            #expect(delay <= .seconds(5))
        }
    }

    /// A market order answered NEW (the testnet's way) is polled until it ends; one not filled in time is cancelled and
    /// its end, filled or not, is what the result says.
    @Test func anAcceptedOrderIsPolledThenCancelledAfterTheFillTimeout() {
        var machine = PlanExecution(plan: Self.exitPlan())
        _ = machine.start(at: at(0))
        _ = machine.event(.gated(.pass(Self.sell)))
        _ = machine.event(.journaled)
        var working = VenueOrder(orderID: 3, clientOrderID: Self.exitPlan().clientOrderID.rawValue, symbol: Self.symbol, side: .sell,
                                 typeName: "MARKET", status: .new, price: .zero, averagePrice: .zero, originalQuantity: Quantity("0.01")!,
                                 executedQuantity: .zero, cumulativeQuote: .zero, reduceOnly: true, closePosition: false, updateTime: at(10))
        #expect(machine.event(.sent(.placed(working), at: at(10))) == .query(after: .zero))
        #expect(machine.event(.queried(.found(working), at: at(20))) == .query(after: .milliseconds(50)))
        #expect(machine.event(.queried(.found(working), at: at(31_000))) == .cancel)
        #expect(machine.event(.cancelled) == .query(after: .zero))
        working.status = .canceled
        #expect(machine.event(.queried(.found(working), at: at(31_200))) == .commit(.ended(.rejected, .orderNotFilled)))
    }
}
