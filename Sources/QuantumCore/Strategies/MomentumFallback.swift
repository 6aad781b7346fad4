/// The original system's 24-hour momentum rule, kept only as a fallback strategy.
///
/// `Δ` is the percent change from the close of the bar that closed 24 h before the last bar to
/// the last close (found by `closeTime`, so 1m, 5m and 1h bars all work). `Δ > +1 %` opens a long,
/// `Δ < −1 %` a short, with confidence `min(0.5 + |Δ|/100, 0.8)` (Δ in percent, so 3 % gives 0.53).
/// Unlike the original (stop and target both 2 %, the short's on the wrong sides), the stop is
/// 2 % adverse and the target 3 % favourable, always on the correct sides.
public struct MomentumFallback: Strategy, Hashable {
    /// Thresholds and bracket; defaults reproduce the original rule with corrected levels.
    public struct Configuration: Hashable, Sendable {
        /// The bar interval callers feed; it only sizes `barsNeeded` (default 1 minute).
        public var barInterval: KlineInterval
        /// |Δ| in percent that must be exceeded to signal (default 1).
        public var thresholdPercent: Double
        /// Stop distance from the close in percent, adverse (default 2).
        public var stopPercent: Double
        /// Target distance from the close in percent, favourable (default 3).
        public var targetPercent: Double
        /// Cap on the confidence (default 0.8).
        public var maximumConfidence: Double

        public init(
            barInterval: KlineInterval = .oneMinute, thresholdPercent: Double = 1,
            stopPercent: Double = 2, targetPercent: Double = 3, maximumConfidence: Double = 0.8
        ) {
            self.barInterval = barInterval
            self.thresholdPercent = thresholdPercent
            self.stopPercent = stopPercent
            self.targetPercent = targetPercent
            self.maximumConfidence = maximumConfidence
        }

        /// Throws unless the threshold is non-negative, stop and target are in (0, 100) percent and
        /// the confidence cap is in 0.5…1.
        public func validate() throws(StrategyConfigurationError) {
            guard thresholdPercent.isFinite, thresholdPercent >= 0 else {
                throw StrategyConfigurationError(.invalidParameter, "threshold \(thresholdPercent) % must be non-negative")
            }
            for (label, value) in [("stop", stopPercent), ("target", targetPercent)] where !(value > 0 && value < 100) {
                throw StrategyConfigurationError(.invalidParameter, "\(label) \(value) % must be in (0, 100)")
            }
            guard maximumConfidence >= MomentumFallback.baseConfidence, maximumConfidence <= 1 else {
                throw StrategyConfigurationError(.invalidParameter, "maximum confidence \(maximumConfidence) must be in 0.5…1")
            }
        }
    }

    /// How far back the momentum is measured.
    public static let lookback: Duration = .seconds(86_400)
    /// Confidence at a zero move, before adding |Δ|/100.
    public static let baseConfidence = 0.5

    /// The validated configuration.
    public let configuration: Configuration
    public var name: String { "momentum_24h_fallback" }
    public var isFallback: Bool { true }
    /// 24 h of bars at `barInterval` plus the bar the change is measured from.
    public var barsNeeded: Int {
        Int(Self.lookback.wholeMilliseconds / configuration.barInterval.milliseconds) + 1
    }

    /// A strategy with a validated configuration.
    public init(configuration: Configuration = Configuration()) throws(StrategyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    public func evaluate(_ bars: [Bar]) -> StrategySignal? {
        guard let last = bars.last, let then = Self.bar(closedAt: last.closeTime.advanced(by: .zero - Self.lookback), in: bars),
              then.close.isPositive, last.close.isPositive
        else { return nil }
        let now = last.close.doubleValue
        // The difference is taken exactly, so a move of exactly 1 % is 1.0 and does not signal.
        let change = Double(last.close.units - then.close.units) / Double(then.close.units) * 100
        let direction: Direction
        if change > configuration.thresholdPercent {
            direction = .long
        } else if change < -configuration.thresholdPercent {
            direction = .short
        } else {
            return nil
        }
        let confidence = min(Self.baseConfidence + abs(change) / 100, configuration.maximumConfidence)
        let sign = Double(direction.sign)
        return StrategySignal(
            direction: direction, confidence: confidence, strategy: name, isFallback: isFallback,
            referencePrice: last.close,
            stopLevel: now * (1 - sign * configuration.stopPercent / 100),
            targetLevel: now * (1 + sign * configuration.targetPercent / 100),
            rationale: "24h change \(rationaleText(change)) % (from \(then.close) to \(last.close))"
        )
    }

    /// The last bar closing at or before `time`, if it closed less than one bar length before it
    /// (a gap in the history, or history shorter than the look-back, gives `nil`).
    static func bar(closedAt time: EpochMillis, in bars: [Bar]) -> Bar? {
        var low = 0, high = bars.count  // first index whose closeTime > time
        while low < high {
            let middle = (low + high) / 2
            if bars[middle].closeTime <= time { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let bar = bars[low - 1]
        let length = bar.closeTime.rawValue - bar.openTime.rawValue + 1
        guard length > 0, time.rawValue - bar.closeTime.rawValue < length else { return nil }
        return bar
    }
}
