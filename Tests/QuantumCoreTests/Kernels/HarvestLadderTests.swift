import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct HarvestLadderTests {
    let step = Quantity("0.001")!
    let ladder = HarvestLadder.standard

    @Test func belowTheFirstRungNothingHappens() throws {
        #expect(try ladder.decide(r: 1.99, quantity: Quantity("1")!, peakQuantity: Quantity("1")!, rungsTaken: [], stepSize: step) == nil)
        #expect(try ladder.decide(r: .nan, quantity: Quantity("1")!, peakQuantity: Quantity("1")!, rungsTaken: [], stepSize: step) == nil)
    }

    @Test func eachRungIsTakenOnceAsACumulativeFractionOfPeak() throws {
        let peak = Quantity("1")!
        let first = try ladder.decide(r: 2.1, quantity: peak, peakQuantity: peak, rungsTaken: [], stepSize: step)
        #expect(first == .take(rung: 1, quantity: Quantity("0.25")!, rungsTaken: [1]))
        // Taken: the same R again proposes nothing (FM-32's 50 % → 25 % → 12.5 % decay cannot happen).
        #expect(try ladder.decide(r: 2.5, quantity: Quantity("0.75")!, peakQuantity: peak, rungsTaken: [1], stepSize: step) == nil)
        let second = try ladder.decide(r: 4.0, quantity: Quantity("0.75")!, peakQuantity: peak, rungsTaken: [1], stepSize: step)
        #expect(second == .take(rung: 2, quantity: Quantity("0.25")!, rungsTaken: [1, 2]))
        let third = try ladder.decide(r: 7, quantity: Quantity("0.5")!, peakQuantity: peak, rungsTaken: [1, 2], stepSize: step)
        #expect(third == .take(rung: 3, quantity: Quantity("0.25")!, rungsTaken: [1, 2, 3]))
        #expect(try ladder.decide(r: 20, quantity: Quantity("0.25")!, peakQuantity: peak, rungsTaken: [1, 2, 3], stepSize: step) == nil)
    }

    @Test func aJumpTakesTheHighestRungAndMarksTheOthers() throws {
        let decision = try ladder.decide(r: 6.5, quantity: Quantity("1")!, peakQuantity: Quantity("1")!, rungsTaken: [], stepSize: step)
        #expect(decision == .take(rung: 3, quantity: Quantity("0.75")!, rungsTaken: [1, 2, 3]))
    }

    @Test func aReduceThatRoundsToNothingOnlyMarksTheRung() throws {
        let decision = try ladder.decide(r: 2.2, quantity: Quantity("0.003")!, peakQuantity: Quantity("0.003")!, rungsTaken: [], stepSize: step)
        #expect(decision == .markTaken(rungsTaken: [1]))
        // Already smaller than the rung's target (a stop fill or manual reduce): nothing to send.
        let smaller = try ladder.decide(r: 2.2, quantity: Quantity("0.5")!, peakQuantity: Quantity("1")!, rungsTaken: [], stepSize: step)
        #expect(smaller == .markTaken(rungsTaken: [1]))
    }

    @Test func leverageScaledRungs() {
        let scaled = ladder.leverageScaled(Leverage(rawValue: 10)!)
        #expect(abs(scaled.rungs[0].r - 0.632456) < 1e-6)
        #expect(abs(scaled.rungs[2].r - 1.897367) < 1e-6)
        #expect(scaled.validate().isEmpty)
        #expect(!HarvestLadder(rungs: [.init(r: 2, cumulativeFraction: Ratio("0.5")!), .init(r: 1, cumulativeFraction: Ratio("0.6")!)]).validate().isEmpty)
        #expect(!HarvestLadder(rungs: []).validate().isEmpty)
    }

    @Test func profitLockOnlyTightens() throws {
        let lock = ProfitLock()
        let tick = Price("0.1")!
        // Long at 50 000: BE+0.2 % = 50 100.
        #expect(try lock.proposal(direction: .long, entry: Price("50000")!, currentStop: Price("49000")!, r: 1.5, tickSize: tick) == Price("50100")!)
        #expect(try lock.proposal(direction: .long, entry: Price("50000")!, currentStop: Price("49000")!, r: 1.49, tickSize: tick) == nil)
        #expect(try lock.proposal(direction: .long, entry: Price("50000")!, currentStop: Price("50100")!, r: 3, tickSize: tick) == nil)
        #expect(try lock.proposal(direction: .long, entry: Price("50000")!, currentStop: Price("50500")!, r: 3, tickSize: tick) == nil)
        // Short at 3 000.07: BE+ = 2 994.06986 → rounded down to the tick 2 994.0.
        #expect(try lock.proposal(direction: .short, entry: Price("3000.07")!, currentStop: Price("3100")!, r: 2, tickSize: tick) == Price("2994")!)
        #expect(try lock.proposal(direction: .short, entry: Price("3000")!, currentStop: Price("2990")!, r: 2, tickSize: tick) == nil)
        #expect(try lock.proposal(direction: .short, entry: Price("3000")!, currentStop: nil, r: 2, tickSize: tick) == Price("2994")!)
    }
}
