import QuantumCore
import QuantumServices
import Testing

@Suite(.timeLimit(.minutes(3))) struct TradingSystemWarmUpTests {
    static let btc = Symbol(rawValue: "BTCUSDT")!

    func configuration(_ strategies: [any Strategy]) -> TradingSystem.Configuration {
        TradingSystem.Configuration(symbols: [Self.btc], signals: SignalBotService.Configuration(bot: SignalBot.Configuration(strategies: strategies)))
    }

    @Test func theStartUpBackfillCoversTheLongestStrategy() throws {
        // EMA 20/50 reads ten slow periods: 501 bars, so 502 are fetched at start (the newest may still be forming).
        let cross = configuration([try EMACrossStrategy()])
        #expect(cross.warmedMarketState.backfill == 502)
        // The standard pair needs fewer than the default 200: the default stays.
        let standard = configuration([try TrendFollowing(), try MeanReversion()])
        #expect(standard.warmedMarketState.backfill == 200)
        // Never more than one page of klines.
        var slow = EMACross.Configuration()
        slow.fast = 100
        slow.slow = 1_000
        #expect(configuration([try EMACrossStrategy(slow)]).warmedMarketState.backfill == 1_500)
    }
}
