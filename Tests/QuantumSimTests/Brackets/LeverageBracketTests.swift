import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct LeverageBracketTests {
    private let tier2 = BracketFixtures.tier(2, 100, "50000", "600000", "0.005", "50")

    @Test func maintenanceMarginIsNotionalTimesRateMinusCum() throws {
        #expect(try tier2.maintenanceMargin(forNotional: BracketFixtures.notional("100000")) == BracketFixtures.notional("450"))
        // Shorts are valued by magnitude.
        #expect(try tier2.maintenanceMargin(forNotional: BracketFixtures.notional("-100000")) == BracketFixtures.notional("450"))
        // Rounded up at 10⁻⁸, never negative.
        #expect(try tier2.maintenanceMargin(forNotional: BracketFixtures.notional("10000.00000001")) == BracketFixtures.notional("0.00000001"))
        #expect(try tier2.maintenanceMargin(forNotional: BracketFixtures.notional("10000.00000201")) == BracketFixtures.notional("0.00000002"))
        #expect(try tier2.maintenanceMargin(forNotional: .zero) == .zero)
    }

    @Test func describesItselfAndItsUncappedSentinel() {
        #expect(tier2.description == "2: 100x 50000→600000 mmr=0.005 cum=50")
        var last = tier2
        last.notionalCap = Notional(units: .max)
        #expect(last.isUncapped && !tier2.isUncapped)
        #expect(last.description.contains("∞"))
    }
}
