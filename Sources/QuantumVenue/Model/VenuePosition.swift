import QuantumCore

/// One symbol's position as the exchange reports it (`GET /fapi/v2/positionRisk`, one-way mode).
public struct VenuePosition: Hashable, Sendable {
    public var symbol: Symbol
    /// Signed: positive long, negative short, zero flat.
    public var quantity: Quantity
    public var entryPrice: Price
    public var markPrice: Price
    public var unrealizedPnL: Notional
    /// Zero when there is none.
    public var liquidationPrice: Price
    public var leverage: Leverage?
    public var marginType: MarginType?
    public var updateTime: EpochMillis

    public init(
        symbol: Symbol, quantity: Quantity, entryPrice: Price, markPrice: Price, unrealizedPnL: Notional, liquidationPrice: Price,
        leverage: Leverage?, marginType: MarginType?, updateTime: EpochMillis
    ) {
        self.symbol = symbol
        self.quantity = quantity
        self.entryPrice = entryPrice
        self.markPrice = markPrice
        self.unrealizedPnL = unrealizedPnL
        self.liquidationPrice = liquidationPrice
        self.leverage = leverage
        self.marginType = marginType
        self.updateTime = updateTime
    }

    /// The direction, or `nil` when flat.
    public var direction: Direction? {
        quantity.isPositive ? .long : quantity.isNegative ? .short : nil
    }
}

extension VenuePosition {
    /// Decodes a positionRisk row (v2 has leverage and margin type, v3 has neither).
    public init(binance json: JSONValue) throws(WireDecodingError) {
        self.init(
            symbol: try json.symbol("symbol"),
            quantity: try json.decimal("positionAmt"),
            entryPrice: try json.valuation("entryPrice"),
            markPrice: try json.valuation("markPrice"),
            unrealizedPnL: try json.valuation("unRealizedProfit"),
            liquidationPrice: try json.valuation("liquidationPrice"),
            leverage: try json.optionalLeverage("leverage"),
            marginType: try json.optionalMarginType("marginType"),
            updateTime: EpochMillis(try json.optionalInteger("updateTime") ?? 0))
    }
}
