import QuantumCore
import QuantumExchange
import QuantumSim
import QuantumTestSupport
import Synchronization
import Testing

/// The feed loop's barrier: called once per minute after every subscribed symbol's bar of that minute closed.
@Suite(.timeLimit(.minutes(3))) struct ExchangeHostPacingTests {
    private static let btc = Symbol(rawValue: "BTCUSDT")!
    private static let eth = Symbol(rawValue: "ETHUSDT")!

    private func bars(_ symbol: Symbol, from start: Int64, count: Int) -> [Kline] {
        (0..<count).map { index in
            Kline(symbol: symbol, interval: .oneMinute, openTime: EpochMillis(start + Int64(index) * 60_000), open: Price("100")!,
                  high: Price("101")!, low: Price("99")!, close: Price("100.5")!, volume: Quantity("1")!)
        }
    }

    /// A minute-aligned start, a clock that advances on sleep, and a desk with a manual market.
    private func manualDesk() throws -> (start: Int64, clock: ManualEpochClock, desk: ExchangeDesk) {
        let start: Int64 = 1_750_000_020_000 - 1_750_000_020_000 % 60_000
        let clock = ManualEpochClock(EpochMillis(start), advancesOnSleep: true)
        var setup = SimulatorSetup()
        setup.market = .manual
        return (start, clock, try setup.makeDesk(start: clock.now()).0)
    }

    @Test func theBarrierSeesEachMinutesClosedBarsOfEverySubscribedSymbolOnce() async throws {
        let (start, clock, desk) = try manualDesk()
        let feed = try ReplayFeed([ReplayFeed.Series(klines: bars(Self.btc, from: start, count: 3)),
                                   ReplayFeed.Series(klines: bars(Self.eth, from: start, count: 3))])
        let host = ExchangeHost(desk: desk, feed: feed, clock: clock)
        let seen = Mutex<[[Symbol: EpochMillis]]>([])
        await host.pace { closed in seen.withLock { $0.append(closed) } }
        try await host.run()
        // Three bars each: the first two close (the third has no later tick), each seen once, after both symbols' ticks.
        #expect(seen.withLock { $0 } == [[Self.btc: EpochMillis(start + 59_999), Self.eth: EpochMillis(start + 59_999)],
                                         [Self.btc: EpochMillis(start + 119_999), Self.eth: EpochMillis(start + 119_999)]])
    }

    /// A tick that moves a position by itself (here a stop firing at the bar's low) is settled before the market goes
    /// on: `settle` hears the symbol's positions after the fill, once, and ticks that move nothing are not held.
    @Test func aTickThatFiresAStopWaitsForSettlementWithThePositionsAfterIt() async throws {
        let made = try manualDesk()
        let (start, clock) = (made.start, made.clock)
        var desk = made.desk
        let key = SimulatorSetup.defaultCredential.apiKey
        let now = clock.now()
        desk.paper.engine.updateMarket(Self.btc, last: Price("100000")!, mark: Price("100000")!, time: now)
        _ = try desk.paper.engine.placeOrder(key, NewOrderRequest(symbol: Self.btc, side: .buy, type: "MARKET", quantity: Quantity("1")!), time: now)
        _ = try desk.paper.engine.placeAlgoOrder(key, NewAlgoOrderRequest(symbol: Self.btc, side: .sell, type: "STOP_MARKET",
                                                                          triggerPrice: Price("99500")!, closePosition: true), time: now)
        // Bars close up: each one's path is open 100 000, low 99 000 (through the stop), high 101 000, close 100 500.
        let klines = (1...3).map { index in
            Kline(symbol: Self.btc, interval: .oneMinute, openTime: EpochMillis(start + Int64(index) * 60_000), open: Price("100000")!,
                  high: Price("101000")!, low: Price("99000")!, close: Price("100500")!, volume: Quantity("1")!)
        }
        let feed = try ReplayFeed([ReplayFeed.Series(klines: klines)])
        let host = ExchangeHost(desk: desk, feed: feed, clock: clock)
        let settled = Mutex<[[Symbol: [String: Quantity]]]>([])
        await host.pace(with: { _ in }, settle: { moved in settled.withLock { $0.append(moved) } })
        try await host.run()
        #expect(settled.withLock { $0 } == [[Self.btc: [key: .zero]]], "the stop's fill left the account flat")
    }
}
