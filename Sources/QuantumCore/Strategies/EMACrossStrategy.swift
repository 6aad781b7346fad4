/// The EMA-cross kernel as a live `Strategy`: the bar window is folded through `EMACross`, and a cross on the
/// last bar becomes a signal with its ATR stop and target.
///
/// The backtest steps the same kernel bar by bar, so live trading and a backtest of the same bars agree.
public struct EMACrossStrategy: Strategy {
    public let configuration: EMACross.Configuration
    public var name: String { "ema_cross" }
    public var isFallback: Bool { false }
    /// Ten slow periods (or the warm-up, if longer) and the last bar.
    ///
    /// The live window slides, and each evaluation seeds the averages at its first bar: after ten slow periods that
    /// seed weighs (1 − 2/(n+1))^(10n) ≈ 2·10⁻⁹ of the average, so a window reads the same averages as the
    /// backtest's one pass from the first bar of the data.
    public var barsNeeded: Int { max(configuration.firstSignalIndex, 10 * configuration.slow) + 1 }

    public init(_ configuration: EMACross.Configuration = .init()) throws(StrategyConfigurationError) {
        self.configuration = try configuration.validated()
    }

    public func evaluate(_ bars: [Bar]) -> StrategySignal? {
        guard bars.count >= barsNeeded, let last = bars.last else { return nil }
        var kernel = EMACross(configuration)
        var cross: EMACross.Cross?
        for bar in bars {
            cross = kernel.step(high: bar.high.doubleValue, low: bar.low.doubleValue, close: bar.close.doubleValue)
        }
        // A cross is the whole rule: full confidence, so the bot's threshold never filters it out.
        guard let cross else { return nil }
        let levels = kernel.levels(entry: last.close.doubleValue, direction: cross.direction)
        return StrategySignal(
            direction: cross.direction, confidence: 1, strategy: name, isFallback: false, referencePrice: last.close,
            stopLevel: levels.stop, targetLevel: levels.target,
            rationale: "EMA\(configuration.fast) crossed \(cross == .up ? "above" : "below") EMA\(configuration.slow), ATR \(rationaleText(kernel.averageTrueRange))")
    }
}
