extension TradingSystem.Configuration {
    /// Binance's largest `klines` page: the most history one start-up request can bring.
    static let largestKlinePage = 1_500

    /// Market-state's settings with the start-up backfill raised to what the strategies need.
    ///
    /// At start market-state fetches `backfill` closed bars per symbol from the venue and publishes them, and the
    /// signal-bot rebuilds its window from them: with at least the bars its longest strategy needs (up to one page
    /// of 1 500), the first closed bar after a start can already signal instead of waiting out the warm-up live.
    public var warmedMarketState: MarketStateService.Configuration {
        var warmed = marketState
        let needed = SignalBot(configuration: signals.bot).barsNeeded
        warmed.backfill = max(marketState.backfill, min(needed + 1, Self.largestKlinePage))
        return warmed
    }
}
