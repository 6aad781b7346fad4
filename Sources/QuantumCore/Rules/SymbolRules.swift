/// The trading rules of one symbol, from Binance's `exchangeInfo` filters.
///
/// A zero bound disables that rule, as on Binance. Quantities and prices are rounded with these
/// before any order is sent (invariant 13); `validate` predicts the Binance error a violation
/// would produce so it is caught before the exchange sees it.
public struct SymbolRules: Hashable, Sendable {
    public var symbol: Symbol
    /// `TRADING`, `SETTLING`, `PENDING_TRADING`, …; only `TRADING` accepts orders.
    public var status: String
    /// Decimals Binance accepts in a price string (more ⇒ -1111).
    public var pricePrecision: Int
    /// Decimals Binance accepts in a quantity string (more ⇒ -1111).
    public var quantityPrecision: Int
    public var tickSize: Price
    public var minPrice: Price
    public var maxPrice: Price
    /// LOT_SIZE: limit and stop orders.
    public var lot: LotRule
    /// MARKET_LOT_SIZE: market orders (its maxQty is usually smaller).
    public var marketLot: LotRule
    /// MIN_NOTIONAL: price × quantity of an order that is not reduce-only.
    public var minNotional: Notional
    /// PERCENT_PRICE multipliers (exact ratios), if the filter is present.
    public var multiplierUp: Ratio?
    public var multiplierDown: Ratio?

    /// LOT_SIZE or MARKET_LOT_SIZE bounds.
    public struct LotRule: Hashable, Sendable {
        public var minQuantity: Quantity
        public var maxQuantity: Quantity
        public var stepSize: Quantity

        public init(minQuantity: Quantity, maxQuantity: Quantity, stepSize: Quantity) {
            self.minQuantity = minQuantity
            self.maxQuantity = maxQuantity
            self.stepSize = stepSize
        }
    }

    public init(
        symbol: Symbol, status: String = "TRADING", pricePrecision: Int, quantityPrecision: Int,
        tickSize: Price, minPrice: Price, maxPrice: Price, lot: LotRule, marketLot: LotRule? = nil,
        minNotional: Notional, multiplierUp: Ratio? = nil, multiplierDown: Ratio? = nil
    ) {
        self.symbol = symbol
        self.status = status
        self.pricePrecision = pricePrecision
        self.quantityPrecision = quantityPrecision
        self.tickSize = tickSize
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.lot = lot
        self.marketLot = marketLot ?? lot
        self.minNotional = minNotional
        self.multiplierUp = multiplierUp
        self.multiplierDown = multiplierDown
    }

    public var isTrading: Bool { status == "TRADING" }

    /// The lot rule that applies to an order type.
    public func lotRule(for type: OrderType) -> LotRule {
        type == .market ? marketLot : lot
    }

    /// A quantity floored to the step of the order type (never rounds up: an exit never exceeds the position).
    public func flooredQuantity(_ quantity: Quantity, for type: OrderType = .market) throws(MoneyError) -> Quantity {
        try quantity.rounded(toStep: lotRule(for: type).stepSize, .down)
    }

    /// A price rounded to the tick, as asked (a long's stop rounds down, a short's up, to stay outside the market).
    public func roundedPrice(_ price: Price, _ rule: RoundingRule = .nearest) throws(MoneyError) -> Price {
        guard tickSize.isPositive else { return price }
        return try price.rounded(toStep: tickSize, rule)
    }
}

/// The order types the system sends.
public enum OrderType: String, Hashable, Sendable, CaseIterable {
    case market = "MARKET"
    case limit = "LIMIT"
    case stopMarket = "STOP_MARKET"
    case takeProfitMarket = "TAKE_PROFIT_MARKET"
}
