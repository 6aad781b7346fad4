import QuantumCore

/// A seeded, regime-switching market for symbols that have no recording (paper trading, soak tests).
///
/// Each symbol follows its own `SyntheticProcess`: regimes of trend (drift up or down), mean
/// reversion (an Ornstein–Uhlenbeck pull to the price where it began), chop (low-volatility noise)
/// and volatility spikes, of random exponentially distributed durations. Volatility is calibrated to
/// real Binance 1-minute bars — BTCUSDT σ ≈ 0.0528 % per minute (`BTCUSDT_1m_20250504-20250603.csv`),
/// ETHUSDT σ ≈ 0.1029 % (`ETHUSDT_1m_20250504-20250615.csv`), see `Instrument.btcusdt` — and scaled
/// by √step for other step lengths. Prices are rounded to the symbol's tick and never below one tick;
/// the mark price is the last price times (1 + a small AR(1) premium, 2 bp by default), also on the tick.
///
/// Every `step` all symbols tick once, in symbol order. Each symbol draws from its own stream of the
/// seed, so the same configuration always gives the same ticks and adding a symbol changes no other.
public struct SyntheticFeed: MarketFeed, Sendable {
    public let configuration: Configuration
    private var processes: [SyntheticProcess]
    private var index = 0
    private var stepCount: Int64 = 0

    /// A feed for a checked configuration.
    public init(_ configuration: Configuration) throws(SyntheticFeedError) {
        try configuration.validate()
        self.configuration = configuration
        processes = configuration.instruments.sorted { $0.symbol < $1.symbol }.map {
            SyntheticProcess($0, configuration: configuration)
        }
    }

    /// The symbols, in the order ticks of one step come.
    public var symbols: [Symbol] { processes.map(\.instrument.symbol) }

    /// The regime a symbol is in now (for tests and the dashboard; strategies must not peek).
    public func regime(of symbol: Symbol) -> Regime? {
        processes.first { $0.instrument.symbol == symbol }?.regime
    }

    /// The time of the next tick; `nil` when past the end time.
    public var nextTime: EpochMillis? {
        let time = EpochMillis(configuration.startTime.rawValue + stepCount * configuration.step.wholeMilliseconds)
        if let end = configuration.endTime, time > end { return nil }
        return time
    }

    /// The next tick: the first step gives the start prices, each later step moves every symbol once.
    public mutating func next() -> MarketTick? {
        guard let time = nextTime else { return nil }
        if stepCount > 0 { processes[index].step() }
        let tick = processes[index].tick(at: time)
        index += 1
        if index == processes.count {
            index = 0
            stepCount += 1
        }
        return tick
    }
}
