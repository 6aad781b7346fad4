/// EMA crossover trend following: open in the direction of a fresh fast/slow EMA cross.
///
/// The stop and target sit a multiple of ATR from the close, so they scale with volatility.
/// Confidence grows with the EMA spread measured in ATRs, from 0.5 at the cross up to 0.95.
public struct TrendFollowing: Strategy, Hashable {
    /// Periods and multipliers; defaults are the classic 12/26 EMAs with a 2×/3× ATR(14) bracket.
    public struct Configuration: Hashable, Sendable {
        /// Bars in the fast EMA (default 12).
        public var fastPeriod: Int
        /// Bars in the slow EMA (default 26); must exceed `fastPeriod`.
        public var slowPeriod: Int
        /// Bars in the Wilder ATR (default 14).
        public var atrPeriod: Int
        /// Stop distance from the close in ATRs (default 2).
        public var stopATRMultiple: Double
        /// Target distance from the close in ATRs (default 3).
        public var targetATRMultiple: Double
        /// EMA spread, in ATRs, at which confidence reaches its maximum (default 0.5).
        public var fullConfidenceSpread: Double

        public init(
            fastPeriod: Int = 12, slowPeriod: Int = 26, atrPeriod: Int = 14,
            stopATRMultiple: Double = 2, targetATRMultiple: Double = 3, fullConfidenceSpread: Double = 0.5
        ) {
            self.fastPeriod = fastPeriod
            self.slowPeriod = slowPeriod
            self.atrPeriod = atrPeriod
            self.stopATRMultiple = stopATRMultiple
            self.targetATRMultiple = targetATRMultiple
            self.fullConfidenceSpread = fullConfidenceSpread
        }

        /// Throws unless `1 ≤ fast < slow`, `atrPeriod ≥ 1` and every multiplier is positive and finite.
        public func validate() throws(StrategyConfigurationError) {
            guard fastPeriod >= 1 else { throw StrategyConfigurationError(.invalidPeriod, "fast period \(fastPeriod) < 1") }
            guard fastPeriod < slowPeriod else {
                throw StrategyConfigurationError(.invalidPeriod, "fast period \(fastPeriod) must be below slow period \(slowPeriod)")
            }
            guard atrPeriod >= 1 else { throw StrategyConfigurationError(.invalidPeriod, "ATR period \(atrPeriod) < 1") }
            for (label, value) in [
                ("stop ATR multiple", stopATRMultiple), ("target ATR multiple", targetATRMultiple),
                ("full-confidence spread", fullConfidenceSpread),
            ] where !(value.isFinite && value > 0) {
                throw StrategyConfigurationError(.invalidParameter, "\(label) \(value) must be positive and finite")
            }
        }
    }

    /// Lowest confidence of a signal (at the cross itself).
    public static let minimumConfidence = 0.5
    /// Highest confidence of a signal.
    public static let maximumConfidence = 0.95

    /// The validated configuration.
    public let configuration: Configuration
    public var name: String { "trend_following" }
    public var isFallback: Bool { false }
    /// Two values of the slow EMA (to see the cross) and a full ATR window.
    public var barsNeeded: Int { max(configuration.slowPeriod + 1, configuration.atrPeriod + 1) }

    /// A strategy with a validated configuration.
    public init(configuration: Configuration = Configuration()) throws(StrategyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    public func evaluate(_ bars: [Bar]) -> StrategySignal? {
        guard bars.count >= barsNeeded, let last = bars.last else { return nil }
        let closes = bars.map(\.close.doubleValue)
        let fast = Indicators.ema(closes, period: configuration.fastPeriod)
        let slow = Indicators.ema(closes, period: configuration.slowPeriod)
        guard fast.count >= 2, slow.count >= 2,
              let atr = Indicators.atr(bars, period: configuration.atrPeriod), atr > 0, atr.isFinite
        else { return nil }
        let spreadNow = fast[fast.count - 1] - slow[slow.count - 1]
        let spreadBefore = fast[fast.count - 2] - slow[slow.count - 2]
        let direction: Direction
        if spreadBefore <= 0, spreadNow > 0 {
            direction = .long
        } else if spreadBefore >= 0, spreadNow < 0 {
            direction = .short
        } else {
            return nil
        }
        let spreadInATR = abs(spreadNow) / atr
        let growth = min(spreadInATR / configuration.fullConfidenceSpread, 1)
        let confidence = min(max(Self.minimumConfidence + (Self.maximumConfidence - Self.minimumConfidence) * growth,
                                 Self.minimumConfidence), Self.maximumConfidence)
        let reference = last.close.doubleValue
        let sign = Double(direction.sign)
        let c = configuration
        return StrategySignal(
            direction: direction, confidence: confidence, strategy: name, isFallback: isFallback,
            referencePrice: last.close,
            stopLevel: reference - sign * c.stopATRMultiple * atr,
            targetLevel: reference + sign * c.targetATRMultiple * atr,
            rationale: "EMA\(c.fastPeriod) crossed \(direction == .long ? "above" : "below") EMA\(c.slowPeriod); "
                + "spread \(rationaleText(spreadInATR)) ATR, ATR\(c.atrPeriod) \(rationaleText(atr, decimals: 6))"
        )
    }
}
