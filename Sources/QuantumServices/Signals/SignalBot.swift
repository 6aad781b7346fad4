import QuantumCore

/// The signal-bot's decision per symbol: run the strategies, keep the best signal above the threshold.
///
/// Primary strategies are asked first; a fallback strategy (the original's 24-hour momentum rule)
/// is asked only when no primary one signals, and its intents carry its name, so a fallback is never
/// mistaken for the primary model (FM-40). Pure and stateless: repeating a signal every cadence is
/// harmless, the executor deduplicates by plan identity.
public struct SignalBot: Sendable {
    public struct Configuration: Sendable {
        /// Signals below this confidence are dropped.
        public var minimumConfidence = 0.55
        public var strategies: [any Strategy]

        public init(minimumConfidence: Double = 0.55, strategies: [any Strategy]) {
            self.minimumConfidence = minimumConfidence
            self.strategies = strategies
        }

        /// Trend following and mean reversion, with the 24-hour momentum rule as fallback when `fallback` is set.
        public static func standard(minimumConfidence: Double = 0.55, fallback: Bool) throws -> Configuration {
            var strategies: [any Strategy] = [try TrendFollowing(), try MeanReversion()]
            if fallback { strategies.append(try MomentumFallback()) }
            return Configuration(minimumConfidence: minimumConfidence, strategies: strategies)
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// The most bars any strategy needs (history to keep per symbol).
    public var barsNeeded: Int { configuration.strategies.map(\.barsNeeded).max() ?? 0 }

    /// The signal to act on for these bars, if any.
    public func signal(for bars: [Bar]) -> StrategySignal? {
        let threshold = configuration.minimumConfidence
        func best(_ strategies: [any Strategy]) -> StrategySignal? {
            strategies.compactMap { $0.evaluate(bars) }.filter { $0.confidence >= threshold }.max { $0.confidence < $1.confidence }
        }
        return best(configuration.strategies.filter { !$0.isFallback }) ?? best(configuration.strategies.filter(\.isFallback))
    }
}
