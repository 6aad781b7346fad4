import QuantumCore
import Testing

/// FM-19: every pause of opens ends by a rule the operator can read.
@Suite(.timeLimit(.minutes(3))) struct OpenPausesTests {
    let now = EpochMillis(1_770_000_000_000)

    func input(pauses: OpenPauses, at now: EpochMillis) -> RiskGuard.Input {
        var guards = RiskGuard.Guards(marketStateAsOf: now)
        guards.openPauses = pauses
        return RiskGuard.Input(
            candidate: .init(symbol: Symbol("BTCUSDT"), direction: .long, notional: Notional("1000")!, margin: Margin("100")!,
                             leverage: Leverage(rawValue: 10)!),
            account: .init(equity: Notional("10000")!, availableMargin: Margin("9000")!, asOf: now, peakEquity: Notional("10000")!,
                           dayStartEquity: Notional("10000")!, pnlToday: .zero, consecutiveLosses: 0),
            positions: [:], inFlightOpens: [], guards: guards, ordersLastMinute: [:], now: now)
    }

    @Test func FM19_aLossStreakPausesOpensForItsCoolDownThenCountsAfresh() {
        var account = AccountWindows()
        var started: [Bool] = []
        for (index, net) in ["-5", "-5", "-5", "-5", "1"].enumerated() {
            started.append(account.recordClose(net: Notional(net)!, at: now.advanced(by: .seconds(Int64(index))), pauseAfter: 3))
        }
        // The third loss starts the pause and spends the streak: the next pause needs three new losses; a win resets.
        #expect(started == [false, false, true, false, false])
        #expect(account.consecutiveLosses == 0)
    }

    @Test func FM19_aPauseRefusesOpensUntilItsEndAndNotAfter() {
        let config = RiskGuard.Configuration()
        let until = now.advanced(by: config.lossPauseCoolDown)
        let pauses = OpenPauses(until: [.consecutiveLosses: until])
        #expect(RiskGuard.evaluate(input(pauses: pauses, at: now), configuration: config) == .refuse(.consecutiveLosses))
        #expect(RiskGuard.evaluate(input(pauses: pauses, at: until.advanced(by: .milliseconds(-1))), configuration: config) == .refuse(.consecutiveLosses))
        #expect(RiskGuard.evaluate(input(pauses: pauses, at: until), configuration: config) == .allow)
        #expect(config.lossPauseCoolDown == .seconds(4 * 3_600))
    }

    @Test func theDecidingPauseIsTheOneThatLiftsLast() {
        let pauses = OpenPauses(until: [.consecutiveLosses: now.advanced(by: .seconds(60)), .marginRefusals: now.advanced(by: .seconds(900))])
        #expect(pauses.active(at: now)?.cause == .marginRefusals)
        #expect(pauses.active(at: now.advanced(by: .seconds(900))) == nil)
        let stored = OpenPauses(fields: ["margin_refusals": "1770000900000", "unknown": "1", "consecutive_losses": "soon"])
        #expect(stored.until == [.marginRefusals: EpochMillis(1_770_000_900_000)])
    }
}
