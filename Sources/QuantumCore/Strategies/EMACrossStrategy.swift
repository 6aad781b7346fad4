/// The EMA-cross kernel as a live `Strategy`: the bar window is folded through `EMACross`, and a cross on the
/// last bar becomes a signal with its ATR stop and target.
///
/// The backtest steps the same kernel bar by bar, so live trading and a backtest of the same bars agree.
public struct EMACrossStrategy: Strategy {
    public let configuration: EMACross.Configuration
    public var name: String { "ema_cross" }
    public var isFallback: Bool { false }
    /// The first bar that may signal, and the bar after it.
    public var barsNeeded: Int { configuration.firstSignalIndex + 1 }

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
        guard let cross else { return nil }
        let levels = kernel.levels(entry: last.close.doubleValue, direction: cross.direction)
        return StrategySignal(
            direction: cross.direction, confidence: 0.5, strategy: name, isFallback: false, referencePrice: last.close,
            stopLevel: levels.stop, targetLevel: levels.target,
            rationale: "EMA\(configuration.fast) crossed \(cross == .up ? "above" : "below") EMA\(configuration.slow), ATR \(rationaleText(kernel.averageTrueRange))")
    }
}
