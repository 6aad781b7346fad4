/// Sizes an open from equity, risk per trade, stop distance and leverage, with margin and notional explicit.
///
/// `quantity = equity × riskPerTrade ÷ |entry − stop|` (losing the whole risk budget at the stop),
/// or, with a fixed `notionalPerTrade`, `notional ÷ entry` rounded half up to the step (the backtest's rule),
/// floored to the market step, then capped by the per-trade notional limit and by what the
/// available margin allows at the leverage (`notional ≤ available × leverage`). The original
/// treated a $200 margin as a $200 notional (FM-37); here each amount has its own type.
public struct PositionSizer: Hashable, Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Fraction of equity lost if the stop is hit (default 1 %).
        public var riskPerTrade: Ratio = Ratio(units: 1_000_000)
        /// Upper bound of one open's notional, if any.
        public var maxNotionalPerTrade: Notional?
        /// Every open at this notional instead of by risk (a fixed stake), if set; the caps still apply.
        public var notionalPerTrade: Notional?

        public init(riskPerTrade: Ratio = Ratio(units: 1_000_000), maxNotionalPerTrade: Notional? = nil, notionalPerTrade: Notional? = nil) {
            self.riskPerTrade = riskPerTrade
            self.maxNotionalPerTrade = maxNotionalPerTrade
            self.notionalPerTrade = notionalPerTrade
        }
    }

    /// A sized open.
    public struct Sized: Hashable, Sendable {
        public var quantity: Quantity
        public var notional: Notional
        public var margin: Margin
        /// What is lost at the stop: quantity × |entry − stop|.
        public var riskAmount: Notional
        /// Which bound set the size.
        public var limitedBy: Limit
    }

    /// The bound that decided the size.
    public enum Limit: String, Hashable, Sendable {
        case risk
        /// The fixed notional per trade.
        case notional
        case maxNotional = "max_notional"
        case margin
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The size of an open, or the reason there is none.
    public func size(
        equity: Notional, entry: Price, stop: Price, leverage: Leverage, rules: SymbolRules, availableMargin: Margin
    ) throws(MoneyError) -> Result<Sized, DecisionReason> {
        guard equity.isPositive else { return .failure(.equityStale) }
        let distance = try (try entry - stop).magnitude()
        guard distance.isPositive, entry.isPositive else { return .failure(.invalidPlan) }
        var quantity: Quantity
        var limit: Limit
        if let stake = configuration.notionalPerTrade {
            quantity = try Self.quantity(for: stake, at: entry, step: rules.lotRule(for: .market).stepSize)
            limit = .notional
        } else {
            quantity = try (try equity.fraction(configuration.riskPerTrade)).quantity(at: distance)
            limit = .risk
        }
        if let cap = configuration.maxNotionalPerTrade {
            let capped = try cap.quantity(at: entry)
            if capped < quantity { quantity = capped; limit = .maxNotional }
        }
        let marginCap = try (try availableMargin.notional(at: leverage)).quantity(at: entry)
        if marginCap < quantity { quantity = marginCap; limit = .margin }
        quantity = try rules.flooredQuantity(quantity, for: .market)
        let lot = rules.lotRule(for: .market)
        if lot.maxQuantity.isPositive, quantity > lot.maxQuantity {
            quantity = try lot.maxQuantity.rounded(toStep: lot.stepSize, .down)
        }
        guard quantity.isPositive, quantity >= lot.minQuantity else { return .failure(.quantityBelowStep) }
        let notional = try entry.notional(of: quantity)
        if rules.minNotional.isPositive, notional < rules.minNotional {
            return .failure(limit == .margin ? .insufficientMargin : .belowMinNotional)
        }
        return .success(Sized(
            quantity: quantity, notional: notional, margin: try notional.margin(at: leverage),
            riskAmount: try distance.notional(of: quantity), limitedBy: limit))
    }

    /// `notional ÷ price` rounded half up to a multiple of `step` (exact, one rounding); zero without a price or step.
    public static func quantity(for notional: Notional, at price: Price, step: Quantity) throws(MoneyError) -> Quantity {
        guard price.isPositive, step.isPositive else { return .zero }
        let numerator = Int128(notional.units) * Int128(Quantity.one)
        let denominator = Int128(price.units) * Int128(step.units)
        let steps = (2 * numerator + denominator) / (2 * denominator)
        guard let count = Int64(exactly: steps) else { throw MoneyError(.overflow, "quantity of \(notional) at \(price) is out of range") }
        return try step * count
    }
}
