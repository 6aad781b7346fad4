import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumSim
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(1))) struct IntentBridgeTests {
    let btc = VenueFixture.btc
    let rules = SymbolCatalog.rules

    func context(price: String = "100000", position: PositionRecord? = nil, now: EpochMillis = EpochMillis(1_750_000_000_000)) -> IntentBridge.Context {
        var account = AccountWindows()
        account.observe(equity: Notional("10000")!, available: Margin("10000")!, at: now)
        return IntentBridge.Context(rules: rules[btc], price: Price(price)!, priceAsOf: now, account: account, nextEpoch: .first, attempt: 0,
                                    position: position, now: now)
    }

    func intent(at now: EpochMillis = EpochMillis(1_750_000_000_000)) -> TradeIntent {
        TradeIntent(intentID: "i-1", symbol: btc, direction: .long, confidence: 0.7, strategy: "trend_following", referencePrice: Price("100000")!,
                    stopLoss: Price("98000")!, takeProfit: Price("106000")!, createdAt: now)
    }

    @Test func FM37_marginAndNotionalAreDifferentAmounts() throws {
        var configuration = IntentBridge.Configuration()
        configuration.sizing.maxNotionalPerTrade = nil
        let decision = IntentBridge(configuration: configuration).plan(for: intent(), in: context())
        guard case .plan(let plan) = decision, case .open(let open) = plan.order else { Issue.record("no plan: \(decision)"); return }
        // 1 % of 10 000 lost over a 2 000 stop distance: 0.05 BTC, 5 000 USDT notional, 1 000 USDT margin at 5×.
        #expect(open.quantity == Quantity("0.05")!)
        #expect(open.notional == Notional("5000")!)
        #expect(open.margin == Margin("1000")!)
        #expect(open.leverage == Leverage(rawValue: 5)!)
        #expect(plan.planID == "open:BTCUSDT:LONG:e1")
    }

    @Test func theSameBusinessIntentAlwaysGivesTheSamePlanID() {
        let bridge = IntentBridge()
        let a = bridge.plan(for: intent(), in: context())
        var later = intent(at: EpochMillis(1_750_000_060_000))
        later.intentID = "i-2"
        let b = bridge.plan(for: later, in: context(now: EpochMillis(1_750_000_060_000)))
        guard case .plan(let first) = a, case .plan(let second) = b else { Issue.record("no plans"); return }
        #expect(first.planID == second.planID && first.clientOrderID == second.clientOrderID)
    }

    @Test func staleIntentsAndPricesAndAllowlistsRefuseOpensOnly() {
        var configuration = IntentBridge.Configuration()
        configuration.allowlist = [VenueFixture.eth]
        let bridge = IntentBridge(configuration: configuration)
        #expect(bridge.plan(for: intent(), in: context()) == .refuse(.notInAllowlist, detail: "BTCUSDT is not allowlisted"))
        let position = PositionRecord(symbol: btc, side: .long, quantity: Quantity("0.01")!, peakQuantity: Quantity("0.01")!, entryPrice: Price("100000")!,
                                      leverage: Leverage(rawValue: 5)!, stopLoss: nil, takeProfit: nil, initialRisk: Price("2000")!, epoch: .first,
                                      openedAt: EpochMillis(1), updatedAt: EpochMillis(1))
        let exit = ExitIntent(intentID: "x", symbol: btc, action: .close, epoch: .first, reason: .manual, source: .manual, createdAt: EpochMillis(1_750_000_000_000))
        guard case .plan(let plan) = bridge.plan(for: exit, in: context(position: position)) else { Issue.record("exit refused"); return }
        #expect(plan.isReduceOnly && plan.planID == "close:BTCUSDT:e1")
        let old = intent(at: EpochMillis(1_750_000_000_000 - 600_000))
        if case .refuse(let reason, _) = IntentBridge().plan(for: old, in: context()) { #expect(reason == .intentStale) } else { Issue.record("stale intent planned") }
    }

    /// With `closeOnOppositeSignal`, a signal against the open position closes it (the position's close identity, reason
    /// `signal_reversal`), past the rules only opens obey; a signal the same way, or the switch off, is refused.
    @Test func anOppositeSignalClosesThePositionWhenTheStrategyExitsOnIt() {
        let now = EpochMillis(1_750_000_000_000)
        let short = PositionRecord(symbol: btc, side: .short, quantity: Quantity("0.01")!, peakQuantity: Quantity("0.01")!, entryPrice: Price("100000")!,
                                   leverage: Leverage(rawValue: 5)!, stopLoss: nil, takeProfit: nil, initialRisk: Price("2000")!, epoch: .first,
                                   openedAt: EpochMillis(1), updatedAt: EpochMillis(1))
        var configuration = IntentBridge.Configuration()
        configuration.closeOnOppositeSignal = true
        configuration.allowlist = [VenueFixture.eth]
        let bridge = IntentBridge(configuration: configuration)
        var holding = context(position: short, now: now)
        holding.openPauses = OpenPauses(until: [.consecutiveLosses: now.advanced(by: .seconds(3_600))])
        holding.exitAttempt = 1
        guard case .plan(let plan) = bridge.plan(for: intent(at: now), in: holding), case .close(let side, let reason, _) = plan.order else {
            Issue.record("the opposite signal did not close")
            return
        }
        #expect(side == .short && reason == .signalReversal && plan.isReduceOnly)
        #expect(plan.planID == PlanIdentity.close(btc, .first).attempt(1).planID, "the position's close, at the executor's attempt")
        var long = short
        long.side = .long
        guard case .refuse(let same, _) = IntentBridge(configuration: configuration).plan(for: intent(at: now), in: context(position: long, now: now)),
              case .refuse(let off, _) = IntentBridge().plan(for: intent(at: now), in: context(position: short, now: now)) else {
            Issue.record("a signal the same way, or with the switch off, was planned")
            return
        }
        #expect(same == .notInAllowlist && off == .positionAlreadyExists)
    }

    /// FM-19 without the flood: while a timed pause of opens is active an open intent makes no plan (the executor
    /// would only refuse it), exits still do, and once the pause lifts opens are planned again.
    @Test func FM19_anActivePauseMakesNoOpenPlanAndLiftsByItself() {
        let now = EpochMillis(1_750_000_000_000)
        var paused = context(now: now)
        paused.openPauses = OpenPauses(until: [.consecutiveLosses: now.advanced(by: .seconds(3_600))])
        let bridge = IntentBridge()
        guard case .refuse(let reason, _) = bridge.plan(for: intent(at: now), in: paused) else { Issue.record("planned while paused"); return }
        #expect(reason == .consecutiveLosses)
        let position = PositionRecord(symbol: btc, side: .long, quantity: Quantity("0.01")!, peakQuantity: Quantity("0.01")!, entryPrice: Price("100000")!,
                                      leverage: Leverage(rawValue: 5)!, stopLoss: nil, takeProfit: nil, initialRisk: Price("2000")!, epoch: .first,
                                      openedAt: EpochMillis(1), updatedAt: EpochMillis(1))
        var pausedHolding = paused
        pausedHolding.position = position
        let exit = ExitIntent(intentID: "x", symbol: btc, action: .close, epoch: .first, reason: .manual, source: .manual, createdAt: now)
        guard case .plan = bridge.plan(for: exit, in: pausedHolding) else { Issue.record("exit refused while paused"); return }
        let later = now.advanced(by: .seconds(3_600))
        var lifted = context(now: later)
        lifted.openPauses = paused.openPauses
        guard case .plan = bridge.plan(for: intent(at: later), in: lifted) else { Issue.record("still refused after the pause"); return }
    }

    /// The bridge creates the executor's group before its first plan: a plan made while the executor is still starting
    /// is executed once it runs, not skipped by a group created after it at the tail (a plan without a result).
    @Test(.timeLimit(.minutes(1))) func aPlanMadeBeforeTheExecutorStartsIsExecutedWhenItDoes() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await startBridgeWithAccount(f)
        let plans = try await StreamWatcher.start(f.log, StreamName.plan)
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        _ = try await f.log.append(StreamName.tradeIntent, fields: openIntent(f).encoded())
        _ = try await plans.next()
        try await f.startExecutor()
        #expect(try await results.next()["decision"] == "EXECUTED")
    }

    @Test func FM08_theBridgeReadsThePositionWhereTheExecutorWritesIt() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        try await startBridge(f)
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        let refused = try await StreamWatcher.start(f.log, StreamName.intentRejected)
        let first = openIntent(f)
        _ = try await f.log.append(StreamName.tradeIntent, fields: first.encoded())
        #expect(try await results.next()["decision"] == "EXECUTED")
        #expect(try await f.store.keys(prefix: "quantum:position:") == ["quantum:position:BTCUSDT"])
        var second = first
        second.intentID = "i-2"
        _ = try await f.log.append(StreamName.tradeIntent, fields: second.encoded())
        #expect(try await refused.next()["error"] == "position_already_exists")
    }

    /// The open attempt is read in the context's one snapshot for the next epoch last seen and the one after; an epoch
    /// that moved further is read again. Every way, the plan carries the attempt the executor recorded for its epoch.
    @Test func theOpenAttemptIsReadForTheEpochTheOpenWillHaveHoweverFarItMoved() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await startBridgeWithAccount(f)
        let plans = try await StreamWatcher.start(f.log, StreamName.plan)
        // (last epoch, the attempt recorded for the one after): first the guess (none seen yet: e1), then the epoch two
        // past the one last seen (read again), then the one after the last seen (in the snapshot).
        for (index, (last, attempt)) in [(UInt64(0), 2), (3, 1), (4, 3)].enumerated() {
            let next = PositionEpoch(rawValue: last + 1)!
            if last > 0 { try await f.store.set(StateKey.epoch(btc), value: String(last), ttl: nil) }
            try await f.store.set(StateKey.openAttempt(btc, next), value: String(attempt), ttl: nil)
            var open = openIntent(f)
            open.intentID = "attempt-\(index)"
            _ = try await f.log.append(StreamName.tradeIntent, fields: open.encoded())
            let plan = try await plans.next()
            #expect(plan["plan_id"] == PlanIdentity.open(btc, .long, next, attempt: attempt).planID, "last epoch \(last)")
            #expect(plan["client_order_id"] == PlanIdentity.open(btc, .long, next, attempt: attempt).clientOrderID.rawValue)
        }
    }

    /// Writes the account as the executor would have read it (the bridge sizes from it), then starts the bridge.
    private func startBridgeWithAccount(_ f: PipelineFixture) async throws {
        var account = AccountWindows()
        account.observe(equity: Notional("10000")!, available: Margin("10000")!, at: f.clock.now())
        try await f.store.setFields(StateKey.account, account.fields)
        try await startBridge(f)
    }

    /// Starts the bridge sizing within the executor's per-trade limit, as the trading system wires it.
    private func startBridge(_ f: PipelineFixture) async throws {
        var bridge = IntentBridge.Configuration()
        bridge.sizing.maxNotionalPerTrade = f.configuration.risk.maxNotionalPerTrade
        try await f.startBridge(bridge)
    }

    /// A long open of BTCUSDT now, its stop 1 000 below the fixture's price.
    private func openIntent(_ f: PipelineFixture) -> TradeIntent {
        var open = intent(at: f.clock.now())
        open.stopLoss = Price("99000")!
        return open
    }
}
