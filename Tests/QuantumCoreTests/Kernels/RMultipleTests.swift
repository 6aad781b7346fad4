import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct RMultipleTests {
    @Test func reproducesTheSeedR() throws {
        // The seed's synthetic position: entry 50, price 52.5, cost 12 bps, stop distance 0.5 % of entry → R_net 9.76.
        let r = try #require(RMultiple.compute(direction: .long, entry: Price("50")!, mark: Price("52.5")!, riskPerUnit: Price("0.25")!, costRate: try Ratio(basisPoints: 12)))
        #expect(abs(r - 9.76) < 1e-9)
    }

    @Test func rDoesNotDependOnPositionSize() throws {
        // FM-37: the original divided whole-position PnL by a per-unit distance, so 2 units showed twice the R.
        let one = try #require(RMultiple.compute(pnl: Notional("2.5")!, quantity: Quantity("1")!, entry: Price("50")!, riskPerUnit: Price("0.25")!))
        let two = try #require(RMultiple.compute(pnl: Notional("5")!, quantity: Quantity("2")!, entry: Price("50")!, riskPerUnit: Price("0.25")!))
        #expect(abs(one - 10) < 1e-9 && abs(two - 10) < 1e-9)
    }

    @Test func shortsProfitWhenThePriceFalls() throws {
        let r = try #require(RMultiple.compute(direction: .short, entry: Price("100")!, mark: Price("97")!, riskPerUnit: Price("1.5")!))
        #expect(abs(r - 2) < 1e-12)
        let loss = try #require(RMultiple.compute(direction: .short, entry: Price("100")!, mark: Price("102.25")!, riskPerUnit: Price("1.5")!))
        #expect(abs(loss + 1.5) < 1e-12)
    }

    @Test func noRiskDistanceMeansNoR() {
        #expect(RMultiple.compute(direction: .long, entry: Price("50")!, mark: Price("52")!, riskPerUnit: .zero) == nil)
        #expect(RMultiple.compute(pnl: Notional("1")!, quantity: .zero, entry: Price("50")!, riskPerUnit: Price("1")!) == nil)
    }
}
