/// Mean reversion: fade a close outside its Bollinger band when RSI confirms the extreme.
///
/// Long below the lower band with RSI oversold, short above the upper band with RSI overbought.
/// The target is the band's middle (the mean the price should revert to), the stop a multiple
/// of ATR beyond the close. Confidence grows with how extreme the RSI is, from 0.5 to 0.9.
public struct MeanReversion: Strategy, Hashable {
    /// Periods, thresholds and multipliers; defaults are RSI(14) 30/70, Bollinger(20, 2σ), 1.5×ATR(14).
    public struct Configuration: Hashable, Sendable {
        /// Changes in the Wilder RSI (default 14).
        public var rsiPeriod: Int
        /// RSI below which a long is allowed (default 30).
        public var oversold: Double
        /// RSI above which a short is allowed (default 70).
        public var overbought: Double
        /// Closes in the Bollinger window (default 20).
        public var bandPeriod: Int
        /// Band half-width in population standard deviations (default 2).
        public var bandWidth: Double
        /// Bars in the Wilder ATR (default 14).
        public var atrPeriod: Int
        /// Stop distance beyond the close in ATRs (default 1.5).
        public var stopATRMultiple: Double

        public init(
            rsiPeriod: Int = 14, oversold: Double = 30, overbought: Double = 70,
            bandPeriod: Int = 20, bandWidth: Double = 2, atrPeriod: Int = 14, stopATRMultiple: Double = 1.5
        ) {
            self.rsiPeriod = rsiPeriod
            self.oversold = oversold
            self.overbought = overbought
            self.bandPeriod = bandPeriod
            self.bandWidth = bandWidth
            self.atrPeriod = atrPeriod
            self.stopATRMultiple = stopATRMultiple
        }

        /// Throws unless periods are usable, `0 < oversold < overbought < 100` and multipliers are positive.
        public func validate() throws(StrategyConfigurationError) {
            guard rsiPeriod >= 1 else { throw StrategyConfigurationError(.invalidPeriod, "RSI period \(rsiPeriod) < 1") }
            guard bandPeriod >= 2 else { throw StrategyConfigurationError(.invalidPeriod, "band period \(bandPeriod) < 2") }
            guard atrPeriod >= 1 else { throw StrategyConfigurationError(.invalidPeriod, "ATR period \(atrPeriod) < 1") }
            guard oversold > 0, oversold < overbought, overbought < 100 else {
                throw StrategyConfigurationError(
                    .invalidParameter, "RSI thresholds \(oversold)/\(overbought) must satisfy 0 < oversold < overbought < 100")
            }
            for (label, value) in [("band width", bandWidth), ("stop ATR multiple", stopATRMultiple)]
            where !(value.isFinite && value > 0) {
                throw StrategyConfigurationError(.invalidParameter, "\(label) \(value) must be positive and finite")
            }
        }
    }

    /// Lowest confidence of a signal (RSI just past its threshold).
    public static let minimumConfidence = 0.5
    /// Highest confidence of a signal (RSI at 0 or 100).
    public static let maximumConfidence = 0.9

    /// The validated configuration.
    public let configuration: Configuration
    public var name: String { "mean_reversion" }
    public var isFallback: Bool { false }
    /// Enough bars for the RSI, the band window and the ATR.
    public var barsNeeded: Int {
        max(configuration.rsiPeriod + 1, configuration.bandPeriod, configuration.atrPeriod + 1)
    }

    /// A strategy with a validated configuration.
    public init(configuration: Configuration = Configuration()) throws(StrategyConfigurationError) {
        try configuration.validate()
        self.configuration = configuration
    }

    public func evaluate(_ bars: [Bar]) -> StrategySignal? {
        guard bars.count >= barsNeeded, let last = bars.last else { return nil }
        let c = configuration
        let closes = bars.map(\.close.doubleValue)
        guard let rsi = Indicators.rsi(closes, period: c.rsiPeriod),
              let bands = Indicators.bollinger(closes, period: c.bandPeriod, width: c.bandWidth),
              let atr = Indicators.atr(bars, period: c.atrPeriod), atr > 0, atr.isFinite
        else { return nil }
        let close = last.close.doubleValue
        let direction: Direction
        let extremeness: Double
        if close < bands.lower, rsi < c.oversold {
            direction = .long
            extremeness = (c.oversold - rsi) / c.oversold
        } else if close > bands.upper, rsi > c.overbought {
            direction = .short
            extremeness = (rsi - c.overbought) / (100 - c.overbought)
        } else {
            return nil
        }
        // The mean is the target: it must lie on the profitable side of the close.
        guard direction == .long ? bands.middle > close : bands.middle < close else { return nil }
        let span = Self.maximumConfidence - Self.minimumConfidence
        let confidence = min(max(Self.minimumConfidence + span * extremeness, Self.minimumConfidence), Self.maximumConfidence)
        return StrategySignal(
            direction: direction, confidence: confidence, strategy: name, isFallback: isFallback,
            referencePrice: last.close,
            stopLevel: close - Double(direction.sign) * c.stopATRMultiple * atr,
            targetLevel: bands.middle,
            rationale: "close \(direction == .long ? "below lower" : "above upper") band "
                + "(mean \(rationaleText(bands.middle, decimals: 6))), RSI\(c.rsiPeriod) \(rationaleText(rsi))"
        )
    }
}
