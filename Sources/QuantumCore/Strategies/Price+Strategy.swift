extension FixedPoint where Unit == PriceUnit {
    /// The price nearest `value` in the direction `rounding` asks, to 10⁻⁸.
    ///
    /// Strategies use it to turn a statistical level into a price without letting rounding pull
    /// a stop or target onto the reference price: a long's stop rounds `.down`, its target `.up`.
    /// A value within a few ulps of a representable price is taken as that price, so floating-point
    /// noise (`103 × 0.98 = 100.93999999999999…`) does not cost a whole 10⁻⁸.
    public init(approximating value: Double, rounding: RoundingRule) throws(MoneyError) {
        let rule: FloatingPointRoundingRule
        switch rounding {
        case .down: rule = .down
        case .up: rule = .up
        case .nearest: rule = .toNearestOrAwayFromZero
        case .towardZero: rule = .towardZero
        }
        let raw = value * Double(Self.one)
        let nearest = raw.rounded(.toNearestOrAwayFromZero)
        let scaled = abs(raw - nearest) <= 8 * raw.ulp ? nearest : raw.rounded(rule)
        guard scaled.isFinite, scaled > -9.2e18, scaled < 9.2e18 else {
            throw MoneyError(.overflow, "\(value) is not a representable \(PriceUnit.name)")
        }
        self.init(units: Int64(scaled))
    }
}
