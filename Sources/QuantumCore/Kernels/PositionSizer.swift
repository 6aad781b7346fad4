/// Sizes an open from equity, risk per trade, stop distance and leverage, with margin and notional explicit.
///
/// `quantity = equity × riskPerTrade ÷ |entry − stop|` (losing the whole risk budget at the stop),
/// floored to the market step, then capped by the per-trade notional limit and by what the
/// available margin allows at the leverage (`notional ≤ available × leverage`). The original
/// treated a $200 margin as a $200 notional (FM-37); here each amount has its own type.
public struct PositionSizer: Hashable, Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Fraction of equity lost if the stop is hit (default 1 %).
        public var riskPerTrade: Ratio = Ratio(units: 1_000_000)
        /// Upper bound of one open's notional, if any.
        public var maxNotionalPerTrade: Notional?

        public init(riskPerTrade: Ratio = Ratio(units: 1_000_000), maxNotionalPerTrade: Notional? = nil) {
            self.riskPerTrade = riskPerTrade
            self.maxNotionalPerTrade = maxNotionalPerTrade
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
        let budget = try equity.fraction(configuration.riskPerTrade)
        var quantity = try budget.quantity(at: distance)
        var limit = Limit.risk
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
}
