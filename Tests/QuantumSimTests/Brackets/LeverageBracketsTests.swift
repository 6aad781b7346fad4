import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct LeverageBracketsTests {
    private func btc() throws -> LeverageBrackets { try #require(BracketFixtures.table?[Symbol("BTCUSDT")]) }
    private func n(_ text: String) -> Notional { BracketFixtures.notional(text) }
    private func x(_ value: Int) -> Leverage { BracketFixtures.leverage(value) }

    @Test func lookupsAtTheBoundaries() throws {
        let schedule = try btc()
        #expect(schedule.maxLeverage == x(125))
        #expect(schedule.maxNotional == n("1800000000"))
        #expect(schedule.bracket(forNotional: .zero)?.bracket == 1)
        #expect(schedule.bracket(forNotional: n("50000"))?.bracket == 1)          // a cap is inside its tier
        #expect(schedule.bracket(forNotional: n("50000.00000001"))?.bracket == 2)
        #expect(schedule.bracket(forNotional: n("-50000.00000001"))?.bracket == 2)
        #expect(schedule.bracket(forNotional: n("600000"))?.bracket == 2)
        #expect(schedule.bracket(forNotional: n("1800000000"))?.bracket == 12)
        #expect(schedule.bracket(forNotional: n("1800000000.00000001")) == nil)
        #expect(schedule.maxLeverage(forNotional: n("50000")) == x(125))
        #expect(schedule.maxLeverage(forNotional: n("50001")) == x(100))
        #expect(schedule.maxLeverage(forNotional: n("12000000")) == x(50))
        #expect(schedule.maxLeverage(forNotional: n("12000000.1")) == x(25))
        #expect(schedule.maxLeverage(forNotional: n("2000000000")) == nil)
    }

    @Test(arguments: [
        (125, "50000"), (101, "50000"), (100, "600000"), (76, "600000"), (75, "3000000"), (50, "12000000"),
        (26, "12000000"), (25, "70000000"), (20, "100000000"), (11, "100000000"), (10, "230000000"),
        (5, "480000000"), (4, "600000000"), (3, "800000000"), (2, "1200000000"), (1, "1800000000"),
    ])
    func maxNotionalAtALeverage(leverage: Int, cap: String) throws {
        #expect(try btc().maxNotional(at: x(leverage)) == n(cap))
    }

    @Test func maxNotionalAboveTheSymbolsMaximumIsNil() throws {
        let eth = try #require(BracketFixtures.table?[Symbol("ETHUSDT")])
        #expect(eth.maxNotional(at: x(eth.maxLeverage.rawValue)) != nil)
        if eth.maxLeverage.rawValue < 125 { #expect(eth.maxNotional(at: x(eth.maxLeverage.rawValue + 1)) == nil) }
    }

    @Test func maintenanceMarginIsContinuousAcrossTiersAndUsesTheLastBeyondTheCap() throws {
        let schedule = try btc()
        #expect(try schedule.maintenanceMargin(forNotional: n("50000")) == n("200"))
        #expect(try schedule.maintenanceMargin(forNotional: n("100000")) == n("450"))
        #expect(try schedule.maintenanceMargin(forNotional: n("-100000")) == n("450"))
        for tier in schedule.brackets.dropFirst() {
            let below = try schedule.brackets[tier.bracket - 2].maintenanceMargin(forNotional: tier.notionalFloor)
            #expect(try tier.maintenanceMargin(forNotional: tier.notionalFloor) == below)
        }
        // 2 B is beyond the last cap: 2 000 000 000 × 0.5 − 421 481 450.
        #expect(try schedule.maintenanceMargin(forNotional: n("2000000000")) == n("578518550"))
    }

    @Test func inconsistentSchedulesAreRefusedNamingTheField() {
        let t = BracketFixtures.tier
        let symbol = Symbol("TESTUSDT")
        func field(_ tiers: [LeverageBracket]) -> String? {
            do { _ = try LeverageBrackets(symbol: symbol, brackets: tiers); return nil } catch {
                #expect(error.code == .inconsistentBrackets && error.symbol == "TESTUSDT")
                return error.field
            }
        }
        let good = [t(1, 50, "0", "5000", "0.01", "0"), t(2, 25, "5000", "50000", "0.02", "50")]
        #expect(field(good) == nil)
        #expect(field([]) == "brackets")
        #expect(field([good[1]]) == "brackets[0].bracket")
        #expect(field([t(1, 50, "10", "5000", "0.01", "0")]) == "brackets[0].notionalFloor")
        #expect(field([t(1, 50, "0", "0", "0.01", "0")]) == "brackets[0].notionalCap")
        #expect(field([t(1, 50, "0", "5000", "0", "0")]) == "brackets[0].maintMarginRatio")
        #expect(field([t(1, 50, "0", "5000", "1.5", "0")]) == "brackets[0].maintMarginRatio")
        #expect(field([t(1, 50, "0", "5000", "0.01", "-1")]) == "brackets[0].cum")
        #expect(field([good[0], t(2, 25, "6000", "50000", "0.02", "50")]) == "brackets[1].notionalFloor")
        #expect(field([good[0], t(2, 75, "5000", "50000", "0.02", "50")]) == "brackets[1].initialLeverage")
        #expect(field([good[0], t(2, 25, "5000", "50000", "0.005", "50")]) == "brackets[1].maintMarginRatio")
    }
}
