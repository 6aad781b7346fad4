import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct RiskGuardTests {
    let now = EpochMillis(1_770_000_000_000)
    let btc = Symbol("BTCUSDT")
    let eth = Symbol("ETHUSDT")

    func input(_ change: (inout RiskGuard.Input) -> Void = { _ in }) -> RiskGuard.Input {
        var input = RiskGuard.Input(
            candidate: .init(symbol: btc, direction: .long, notional: Notional("1000")!, margin: Margin("100")!, leverage: Leverage(rawValue: 10)!),
            account: .init(equity: Notional("10000")!, availableMargin: Margin("9000")!, asOf: now.advanced(by: .seconds(-5)), peakEquity: Notional("10000")!,
                           dayStartEquity: Notional("10000")!, pnlToday: .zero, consecutiveLosses: 0),
            positions: [:], inFlightOpens: [], guards: .init(marketStateAsOf: now.advanced(by: .seconds(-60))), ordersLastMinute: [:], now: now)
        change(&input)
        return input
    }

    func decide(_ change: (inout RiskGuard.Input) -> Void = { _ in }, config: RiskGuard.Configuration = .init()) -> RiskGuard.Decision {
        RiskGuard.evaluate(input(change), configuration: config)
    }

    @Test func aHealthyOpenIsAllowed() { #expect(decide() == .allow) }

    @Test func eachRuleRefusesWithItsReason() {
        #expect(decide { $0.guards.killSwitch = true } == .refuse(.killSwitch))
        #expect(decide { $0.guards.haltedSymbols = [self.btc] } == .refuse(.symbolHalted))
        #expect(decide { $0.guards.churnPaused = [self.btc] } == .refuse(.churnBreaker))
        #expect(decide { $0.guards.unprotectedSymbols = [self.eth] } == .refuse(.unprotectedPosition))
        #expect(decide { $0.guards.exitPathUnhealthy = true } == .refuse(.exitPathUnhealthy))
        #expect(decide { $0.guards.allowlist = [self.eth] } == .refuse(.notInAllowlist))
        #expect(decide { $0.account = nil } == .refuse(.equityStale))
        #expect(decide { $0.account?.asOf = self.now.advanced(by: .seconds(-31)) } == .refuse(.equityStale))
        #expect(decide { $0.account?.equity = .zero } == .refuse(.equityStale))
        #expect(decide { $0.guards.marketStateAsOf = nil } == .refuse(.marketStateStale))
        #expect(decide { $0.guards.marketStateAsOf = self.now.advanced(by: .seconds(-181)) } == .refuse(.marketStateStale))
        #expect(decide { $0.positions = [self.btc: Notional("500")!] } == .refuse(.positionAlreadyExists))
        #expect(decide { $0.inFlightOpens = [self.btc] } == .refuse(.openInFlight))
        #expect(decide { $0.account?.pnlToday = Notional("-250")! } == .refuse(.dailyLossLimit))
        #expect(decide { $0.account?.pnlToday = Notional("-249.99")! } == .allow)
        #expect(decide { $0.account?.equity = Notional("9200")! } == .refuse(.drawdownLimit))
        #expect(decide { $0.account?.consecutiveLosses = 3 } == .refuse(.consecutiveLosses))
        #expect(decide { input in
            input.positions = Dictionary(uniqueKeysWithValues: (0..<5).map { (Symbol(rawValue: "S\($0)USDT")!, Notional("10")!) })
        } == .refuse(.maxPositions))
        #expect(decide { $0.candidate.notional = Notional("2000.01")! } == .refuse(.maxNotionalPerTrade))
        #expect(decide { $0.positions = [self.eth: Notional("9500")!] } == .refuse(.maxTotalNotional))
        #expect(decide { $0.candidate.bracketMaxNotional = Notional("999")! } == .refuse(.leverageBracket))
        #expect(decide { $0.account?.availableMargin = Margin("109.99")! } == .refuse(.insufficientMargin))
        #expect(decide { $0.account?.availableMargin = Margin("110")! } == .allow)
        #expect(decide { $0.ordersLastMinute = [self.btc: 5] } == .refuse(.orderRateLimited))
        #expect(decide { $0.ordersLastMinute = [self.eth: 60] } == .refuse(.orderRateLimited))
    }

    /// An open that has just filled is held and, until its result is published, still in flight: it is one position, not two.
    @Test func aSymbolBothHeldAndInFlightCountsOnce() {
        let others = (0..<4).map { Symbol(rawValue: "S\($0)USDT")! }
        #expect(decide { input in
            input.positions = Dictionary(uniqueKeysWithValues: others.map { ($0, Notional("10")!) })
            input.inFlightOpens = Set(others)
        } == .allow)
        #expect(decide { input in
            input.positions = Dictionary(uniqueKeysWithValues: others.prefix(3).map { ($0, Notional("10")!) })
            input.inFlightOpens = [others[3], self.eth]
        } == .refuse(.maxPositions))
    }

    @Test func theFirstFailingRuleIsTheDecisiveReason() {
        // FM-44: several rules fail; the result names the first in the fixed order, not an audit entry.
        let decision = decide { input in
            input.guards.killSwitch = true
            input.account = nil
            input.positions = [self.btc: Notional("1")!]
        }
        #expect(decision == .refuse(.killSwitch))
        #expect(decide { $0.account = nil; $0.positions = [self.btc: Notional("1")!] } == .refuse(.equityStale))
    }
}
