import QuantumCore
@testable import QuantumSim
import Testing

/// The exchange measures, by its own clock, how long positions were without a closePosition stop.
@Suite(.timeLimit(.minutes(3))) struct ProtectionAuditTests {
    typealias F = SimulatedExchangeFixture

    static func stop(_ side: OrderSide, at trigger: String) -> NewAlgoOrderRequest {
        NewAlgoOrderRequest(symbol: F.btc, side: side, type: "STOP_MARKET", triggerPrice: Price(trigger)!, workingType: .markPrice,
                            closePosition: true, clientAlgoID: "qt-s-test-\(trigger)")
    }

    @Test func aStopPlacedBeforeTheEntryLeavesNoGap() throws {
        var f = try F()
        _ = try f.exchange.placeAlgoOrder(F.key, Self.stop(.sell, at: "49000"), time: f.time)
        _ = try f.market(.buy, "0.01")
        f.move(F.btc, to: "50100")
        let audit = try #require(f.exchange.protectionAudit(F.key))
        #expect(audit.total(at: f.time) == 0 && audit.stretches == 0)
    }

    @Test func aPositionWithoutAStopIsMeasuredUntilOneIsPlaced() throws {
        var f = try F()
        _ = try f.market(.buy, "0.01")
        f.move(F.btc, to: "50100")
        f.move(F.btc, to: "50200")
        #expect(f.exchange.protectionAudit(F.key)?.longest(at: f.time) == 2_000)
        _ = try f.exchange.placeAlgoOrder(F.key, Self.stop(.sell, at: "49000"), time: f.time)
        f.move(F.btc, to: "50300")
        let audit = try #require(f.exchange.protectionAudit(F.key))
        #expect(audit.longestMillis == 2_000 && audit.stretches == 1 && audit.unprotectedSince.isEmpty)
        // A stop on the wrong side protects nothing; cancelling the right one opens a new stretch.
        _ = try f.exchange.cancelAlgoOrder(F.key, algoID: nil, clientAlgoID: "qt-s-test-49000", time: f.time)
        _ = try f.exchange.placeAlgoOrder(F.key, Self.stop(.buy, at: "52000"), time: f.time)
        f.move(F.btc, to: "50400")
        #expect(f.exchange.protectionAudit(F.key)?.unprotectedSince[F.btc] != nil)
    }
}
