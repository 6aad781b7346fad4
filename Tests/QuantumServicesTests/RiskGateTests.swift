import QuantumBus
import QuantumCore
import QuantumExchange
@testable import QuantumServices
import QuantumTestSupport
import Testing

/// Invariant 12: the executor enforces every risk rule itself, before anything is sent.
@Suite(.timeLimit(.minutes(1))) struct RiskGateTests {
    func refusal(_ f: PipelineFixture, _ plan: Plan) async throws -> ApplyResult {
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.send(plan)
        let result = try await watcher.result(plan.planID)
        #expect(await f.ordersOnExchange(plan.clientOrderID) == 0)
        return result
    }

    @Test func FM09_missingInputsMeanNoNewRiskNeverDefaults() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        try await f.store.delete(StateKey.marketState(PipelineFixture.btc))
        #expect(try await refusal(f, try f.openPlan()).reason == .marketStateStale)
        // Equity older than its bound (no account read for a minute) refuses opens too.
        f.clock.advance(by: .seconds(61))
        try await f.freshMarket(PipelineFixture.eth, "3000")
        #expect(try await refusal(f, try f.openPlan(PipelineFixture.eth, quantity: "0.5", price: "3000")).reason == .equityStale)
    }

    /// Defect 8: two opens on different symbols, each within the total-notional limit alone, decided at the same time
    /// (the venue answers slowly, so both pass the guard before either fills): one executes, the other is refused.
    @Test func Fault_concurrentOpensOnTwoSymbolsCannotTogetherPassTheTotalNotionalLimit() async throws {
        let f = try await PipelineFixture.start { $0.risk.maxTotalNotional = Notional("1500")! }
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        await f.venue.faults { $0.latency = .milliseconds(50) }
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let btc = try f.openPlan(quantity: "0.01")  // 1 000 USDT
        let eth = try f.openPlan(PipelineFixture.eth, quantity: "0.3", price: "3000")  // 900 USDT
        try await f.send(btc)
        try await f.send(eth)
        let first = try await watcher.next()
        let second = try await watcher.next()
        let results = try [first, second].map { try ApplyResult.decode($0) }
        #expect(results.filter(\.executed).count == 1, "\(results)")
        #expect(results.contains { $0.reason == .maxTotalNotional }, "\(results)")
    }

    @Test func FM14_aGuardKeyOfTheWrongTypeFailsClosed() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        try await f.store.set(StateKey.killSwitch, value: "1", ttl: nil)   // someone SETs a string where a hash lives
        #expect(try await refusal(f, try f.openPlan()).reason == .killSwitch)
    }

    @Test func FM15_theExecutorEnforcesEveryVetoItself() async throws {
        let f = try await PipelineFixture.start { $0.risk.maxNotionalPerTrade = Notional("1000")! }
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        // The plan claims nothing about permits; a 2 000 USDT open is refused by the executor's own limit.
        #expect(try await refusal(f, try f.openPlan(quantity: "0.02")).reason == .maxNotionalPerTrade)
    }

    @Test func FM26_marginIsCheckedBeforeTheOrderAndAVenueRefusalIsReported() async throws {
        let f = try await PipelineFixture.start { $0.risk.maxNotionalPerTrade = Notional("10000000")!; $0.risk.maxTotalNotional = Notional("10000000")! }
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        // 10 000 USDT of equity at 5×: 1 BTC (100 000 notional, 20 000 margin) cannot be afforded.
        #expect(try await refusal(f, try f.openPlan(quantity: "1")).reason == .insufficientMargin)
    }

    @Test func FM27_leverageIsSetBeforeTheFirstOrderAndTheBracketChecked() async throws {
        let f = try await PipelineFixture.start { $0.risk.maxNotionalPerTrade = Notional("100000000")!; $0.risk.maxTotalNotional = Notional("100000000")! }
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan(quantity: "0.01", leverage: 7)
        try await f.send(open)
        #expect(try await watcher.result(open.planID).executed)
        let paths = await f.host.requestLog.map(\.path)
        let leverage = paths.firstIndex(of: "/fapi/v1/leverage")
        let order = paths.firstIndex(of: "/fapi/v1/order")
        #expect(leverage != nil && order != nil && leverage! < order!)
        let configured = try await f.venue.venue.symbolConfigurations(symbol: PipelineFixture.btc).first
        #expect(configured?.leverage == Leverage(rawValue: 7))
        // At 125× the bracket allows far less than 1 500 000 USDT of ETH: refused before sending.
        var big = try f.openPlan(PipelineFixture.eth, quantity: "500", price: "3000", leverage: 125)
        if case .open(var o) = big.order { o.margin = Margin("1")!; big.order = .open(o) }
        let result = try await refusal(f, big)
        #expect(result.reason == .leverageBracket || result.reason == .insufficientMargin)
    }

    @Test func FM28_quantitiesAreFlooredToTheStepAndTooSmallOpensRefused() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        try await f.startExecutor()
        let watcher = try await StreamWatcher.start(f.log, StreamName.result)
        let open = try f.openPlan(quantity: "0.01999")
        try await f.send(open)
        #expect(try await watcher.result(open.planID).execution?.filledQuantity == Quantity("0.019")!)
        let tiny = try f.openPlan(PipelineFixture.eth, quantity: "0.001", price: "3000")
        let refused = try await refusal(f, tiny)
        #expect(refused.reason == .belowMinNotional || refused.reason == .quantityBelowStep)
    }

    @Test func FM38_windowsRollOverInsteadOfStickingForever() {
        var windows = AccountWindows()
        let day1 = EpochMillis(1_750_032_000_000)   // 00:00 UTC
        windows.observe(equity: Notional("10000")!, available: Margin("10000")!, at: day1)
        windows.observe(equity: Notional("9600")!, available: Margin("9600")!, at: day1.advanced(by: .seconds(3_600)))
        var configuration = RiskGuard.Configuration()
        configuration.dailyLossLimit = Ratio("0.03")!
        configuration.maxDrawdown = Ratio("0.5")!
        func decide(_ now: EpochMillis) -> RiskGuard.Decision {
            RiskGuard.evaluate(RiskGuard.Input(
                candidate: .init(symbol: PipelineFixture.btc, direction: .long, notional: Notional("100")!, margin: Margin("20")!, leverage: Leverage(rawValue: 5)!),
                account: windows.riskAccount, positions: [:], inFlightOpens: [], guards: .init(marketStateAsOf: now),
                ordersLastMinute: [:], now: now), configuration: configuration)
        }
        #expect(decide(day1.advanced(by: .seconds(3_600))) == .refuse(.dailyLossLimit))
        let day2 = day1.advanced(by: .seconds(86_400))
        windows.observe(equity: Notional("9600")!, available: Margin("9600")!, at: day2)
        #expect(decide(day2) == .allow)
    }
}
