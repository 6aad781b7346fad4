/// A strategy's proposal to open a position: direction, confidence and protective levels.
///
/// Always well-formed: the initialisers refuse a confidence outside 0…1 and levels on the wrong
/// side of (or equal to) the reference price, so a consumer never has to re-check the geometry.
/// Levels are not rounded to the symbol's tick; the intent bridge does that with its filters.
public struct StrategySignal: Hashable, Sendable {
    /// The direction of the position to open.
    public let direction: Direction
    /// How strongly the strategy believes in the signal, 0…1.
    public let confidence: Double
    /// The name of the strategy that produced the signal.
    public let strategy: String
    /// Whether the producing strategy is a fallback (used only when nothing better signals).
    public let isFallback: Bool
    /// The price the levels were computed from: the last closed bar's close.
    public let referencePrice: Price
    /// The protective stop: below the reference for a long, above it for a short.
    public let stopLoss: Price
    /// The profit target: above the reference for a long, below it for a short.
    public let takeProfit: Price
    /// A short human explanation for logs.
    public let rationale: String

    /// A signal from exact levels; `nil` unless confidence is in 0…1, prices are positive and
    /// the stop and target lie strictly on their sides of the reference price.
    public init?(
        direction: Direction, confidence: Double, strategy: String, isFallback: Bool,
        referencePrice: Price, stopLoss: Price, takeProfit: Price, rationale: String
    ) {
        guard confidence.isFinite, (0...1).contains(confidence) else { return nil }
        guard referencePrice.isPositive, stopLoss.isPositive, takeProfit.isPositive else { return nil }
        switch direction {
        case .long: guard stopLoss < referencePrice, takeProfit > referencePrice else { return nil }
        case .short: guard stopLoss > referencePrice, takeProfit < referencePrice else { return nil }
        }
        self.direction = direction
        self.confidence = confidence
        self.strategy = strategy
        self.isFallback = isFallback
        self.referencePrice = referencePrice
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.rationale = rationale
    }

    /// A signal from statistical levels, rounded away from the reference price.
    ///
    /// A long's stop is rounded down and its target up, a short's the other way, so rounding
    /// can never move a level onto the reference. `nil` when a level is not finite, lies on the
    /// wrong side, or is too close to the reference to be told apart from it.
    public init?(
        direction: Direction, confidence: Double, strategy: String, isFallback: Bool,
        referencePrice: Price, stopLevel: Double, targetLevel: Double, rationale: String
    ) {
        let stopRounding: RoundingRule = direction == .long ? .down : .up
        let targetRounding: RoundingRule = direction == .long ? .up : .down
        guard stopLevel.isFinite, targetLevel.isFinite,
              let stop = try? Price(approximating: stopLevel, rounding: stopRounding),
              let target = try? Price(approximating: targetLevel, rounding: targetRounding)
        else { return nil }
        self.init(
            direction: direction, confidence: confidence, strategy: strategy, isFallback: isFallback,
            referencePrice: referencePrice, stopLoss: stop, takeProfit: target, rationale: rationale
        )
    }
}
