import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumSim
import QuantumTestSupport
import Testing

/// The harvest decider: ladder rungs once per epoch, exact quantities, a stop that only tightens; and the service end to end.
@Suite(.timeLimit(.minutes(1))) struct HarvestTests {
    static let t0 = EpochMillis(1_750_000_000_000)
    let btc = VenueFixture.btc
    let rules = SymbolCatalog.rules[VenueFixture.btc]!

    /// Entry 100 000 with 1R = 2 000 (2R = 104 000 for a long, 96 000 for a short).
    func position(_ side: PositionSide = .long, quantity: String = "1", peak: String = "1", rungs: [Int] = [], stop: String? = nil,
                  risk: String = "2000", leverage: Int = 5) -> PositionRecord {
        PositionRecord(
            symbol: btc, side: side, quantity: Quantity(quantity)!, peakQuantity: Quantity(peak)!, entryPrice: Price("100000")!,
            leverage: Leverage(rawValue: leverage)!, stopLoss: Price(stop ?? (side == .long ? "98000" : "102000"))!, takeProfit: nil,
            initialRisk: Price(risk)!, epoch: .first, rungsTaken: rungs, openedAt: Self.t0, updatedAt: Self.t0)
    }

    func harvest(profitLock: ProfitLock? = nil, trailing: Double? = nil, leverageScaled: Bool = false) -> Harvest {
        var c = Harvest.Configuration()
        c.profitLock = profitLock
        c.trailing = trailing.map { Harvest.Trailing(distanceR: $0) }
        c.leverageScaled = leverageScaled
        return Harvest(configuration: c)
    }

    func decide(_ h: Harvest, _ p: PositionRecord, _ mark: String) throws -> [Harvest.Action] {
        try h.decide(position: p, mark: Price(mark)!, rules: rules)
    }

    @Test func aStrategyThatExitsWholeTakesNoRung() throws {
        var c = Harvest.Configuration()
        c.takesRungs = false
        c.profitLock = nil
        #expect(try decide(Harvest(configuration: c), position(), "108000").isEmpty, "4R: rungs one and two, not taken")
        #expect(try !decide(harvest(), position(), "108000").isEmpty)
    }

    @Test func atTwoRALongScalesOutAQuarterOfThePeakFlooredToTheStep() throws {
        #expect(try decide(harvest(), position(), "104000") == [.reduce(rung: 1, quantity: Quantity("0.25")!, r: 2)])
        // 0.333 × 75 % = 0.24975 kept; 0.08325 over it floors to 0.083 at BTC's 0.001 step.
        #expect(try decide(harvest(), position(quantity: "0.333", peak: "0.333"), "104000") == [.reduce(rung: 1, quantity: Quantity("0.083")!, r: 2)])
        #expect(try decide(harvest(), position(), "103999.9").isEmpty)
    }

    @Test func aRungAlreadyTakenIsNeverProposedAgain() throws {
        let taken = position(quantity: "0.75", rungs: [1])
        #expect(try decide(harvest(), taken, "104000").isEmpty)
        #expect(try decide(harvest(), taken, "107000").isEmpty)
    }

    @Test func jumpingToFourRTakesRungTwoForHalfThePeakInTotal() throws {
        #expect(try decide(harvest(), position(), "108000") == [.reduce(rung: 2, quantity: Quantity("0.5")!, r: 4)])
        #expect(try decide(harvest(), position(quantity: "0.75", rungs: [1]), "108000") == [.reduce(rung: 2, quantity: Quantity("0.25")!, r: 4)])
    }

    @Test func shortsClimbTheLadderAndLockProfitBelowEntry() throws {
        let actions = try decide(Harvest(), position(.short), "96000")
        #expect(actions == [.reduce(rung: 1, quantity: Quantity("0.25")!, r: 2), .moveStop(Price("99800")!, reason: .profitLock, r: 2)])
        #expect(try decide(harvest(), position(.short, quantity: "0.5", rungs: [1, 2]), "88000") == [.reduce(rung: 3, quantity: Quantity("0.25")!, r: 6)])
    }

    @Test func aRungThatRoundsToNothingIsOnlyMarkedTaken() throws {
        // Already down to 75 % of the peak (a manual reduce): rung 1 has nothing left to take.
        #expect(try decide(harvest(), position(quantity: "0.75"), "104000") == [.markTaken(rungs: [1])])
    }

    @Test func theProfitLockMovesToBreakEvenPlusOnceAndNeverLoosens() throws {
        let lock = harvest(profitLock: ProfitLock())
        #expect(try decide(lock, position(), "103000") == [.moveStop(Price("100200")!, reason: .profitLock, r: 1.5)])
        #expect(try decide(lock, position(), "102999.9").isEmpty)
        // Once placed it is not proposed again; a stop already tighter is never loosened.
        #expect(try decide(lock, position(stop: "100200"), "103000").isEmpty)
        #expect(try decide(lock, position(stop: "101000"), "103000").isEmpty)
        #expect(try decide(lock, position(.short), "97000") == [.moveStop(Price("99800")!, reason: .profitLock, r: 1.5)])
        #expect(try decide(lock, position(.short, stop: "99500"), "97000").isEmpty)
        // With a tiny risk, 1.5R is below break-even plus 0.2 %: a stop above the mark would trigger at once.
        #expect(try decide(lock, position(risk: "10"), "100015").isEmpty)
    }

    @Test func theTrailFollowsOnlyAfterTheLastRung() throws {
        let trail = harvest(trailing: 1)
        #expect(try decide(trail, position(quantity: "0.5", rungs: [1, 2], stop: "100200"), "111000").isEmpty)
        let done = position(quantity: "0.25", rungs: [1, 2, 3], stop: "100200")
        #expect(try decide(trail, done, "114000") == [.moveStop(Price("112000")!, reason: .trailingStop, r: 7)])
        #expect(try decide(trail, position(quantity: "0.25", rungs: [3], stop: "100200"), "114000").count == 1)
        // Rounded to the tick away from the price: 111 999.95 → 111 999.9 for a long, 88 000.05 → 88 000.1 for a short.
        let odd = position(quantity: "0.25", rungs: [1, 2, 3], stop: "100200", risk: "2000.05")
        guard case .moveStop(let longStop, .trailingStop, _) = try decide(trail, odd, "114000").first else { Issue.record("no trail"); return }
        #expect(longStop == Price("111999.9")!)
        let oddShort = position(.short, quantity: "0.25", rungs: [1, 2, 3], stop: "99800", risk: "2000.05")
        guard case .moveStop(let shortStop, .trailingStop, _) = try decide(trail, oddShort, "86000").first else { Issue.record("no trail"); return }
        #expect(shortStop == Price("88000.1")!)
        // Never loosens; with the profit lock on too, the tighter of the two wins.
        #expect(try decide(trail, position(quantity: "0.25", rungs: [1, 2, 3], stop: "113000"), "114000").isEmpty)
        let both = harvest(profitLock: ProfitLock(), trailing: 1)
        #expect(try decide(both, position(quantity: "0.25", rungs: [1, 2, 3]), "114000") == [.moveStop(Price("112000")!, reason: .trailingStop, r: 7)])
    }

    @Test func aLeverageScaledLadderReachesRungOneEarlier() throws {
        // At 4× the rungs are divided by √4: rung 1 at 1R.
        let levered = position(leverage: 4)
        #expect(try decide(harvest(), levered, "102000").isEmpty)
        #expect(try decide(harvest(leverageScaled: true), levered, "102000") == [.reduce(rung: 1, quantity: Quantity("0.25")!, r: 1)])
    }

    @Test func theConfigurationIsValidated() {
        #expect(Harvest.Configuration().validate().isEmpty)
        var bad = Harvest.Configuration()
        bad.trailing = Harvest.Trailing(distanceR: 0)
        bad.ladder = HarvestLadder(rungs: [])
        #expect(bad.validate().count == 2)
    }

    @Test func sentRungsAndStopsCountAsDoneUntilTheResendWindowPasses() {
        var memory = HarvestMemory(resendAfter: .seconds(30))
        let p = position()
        memory.rungSent(1, for: p, at: Self.t0)
        memory.stopSent(Price("100200")!, for: p, at: Self.t0)
        let soon = Self.t0.advanced(by: .seconds(10))
        #expect(memory.effective(p, now: soon).rungsTaken == [1] && memory.effective(p, now: soon).stopLoss == Price("100200")!)
        #expect(memory.rungInFlight(p, now: soon))
        // Recorded by the executor: no longer in flight.
        #expect(!memory.rungInFlight(position(quantity: "0.75", rungs: [1]), now: soon))
        let later = Self.t0.advanced(by: .seconds(30))
        #expect(memory.effective(p, now: later) == p && !memory.rungInFlight(p, now: later))
        // A rung that rounded to nothing stays done for the epoch; a new epoch starts clean.
        memory.rungsMarked([2], for: p)
        #expect(memory.effective(p, now: later.advanced(by: .seconds(3_600))).rungsTaken == [2])
        var next = p
        next.epoch = PositionEpoch(rawValue: 2)!
        memory.observe(next)
        #expect(memory.effective(p, now: later) == p)
    }

    @Test func theServiceProposesTheRungAndTheProfitLock() async throws {
        let clock = ManualEpochClock(Self.t0)
        let log = InMemoryEventLog(clock: clock)
        let store = InMemoryStateStore(clock: clock)
        try await store.setFields(StateKey.position(btc), position().encoded())
        try await store.setFields(StateKey.marketState(btc), ["price": "104000", "as_of": String(Self.t0.rawValue)])

        let intents = try await StreamWatcher.start(log, StreamName.exitIntent)
        let service = HarvestService(log: log, store: store, clock: clock, symbols: [btc], rules: SymbolCatalog.rules,
                                     logger: VenueFixture.quietLogger)
        let task = Task { try await service.run() }
        defer { task.cancel() }

        let rung = try ExitIntent.decode(try await intents.next())
        #expect(rung.intentID == "harvest:rung:BTCUSDT:e1:r1")
        #expect(rung.action == .reduce && rung.rung == 1 && rung.quantity == Quantity("0.25")! && rung.epoch == .first)
        #expect(rung.reason == .ladderRung && rung.source == .harvest && rung.rMultiple == 2)
        let stop = try ExitIntent.decode(try await intents.next())
        #expect(stop.intentID == "harvest:stop:BTCUSDT:e1:100200")
        #expect(stop.action == .moveStop && stop.newStop == Price("100200")! && stop.reason == .profitLock && stop.source == .harvest)
    }
}
