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

    @Test func theBarrierSeesEachMinutesClosedBarsOfEverySubscribedSymbolOnce() async throws {
        let start: Int64 = 1_750_000_020_000 - 1_750_000_020_000 % 60_000
        let clock = ManualEpochClock(EpochMillis(start), advancesOnSleep: true)
        var setup = SimulatorSetup()
        setup.market = .manual
        let (desk, _) = try setup.makeDesk(start: clock.now())
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
}
