import QuantumCore

/// One fill of this account (`GET /fapi/v1/userTrades`, or the trade part of `ORDER_TRADE_UPDATE`).
public struct UserTrade: Hashable, Sendable {
    public var tradeID: Int64
    public var orderID: Int64
    public var symbol: Symbol
    public var side: OrderSide
    public var price: Price
    public var quantity: Quantity
    public var quote: Notional
    /// Positive: the fee paid.
    public var commission: Notional
    public var commissionAsset: String
    public var realizedPnL: Notional
    public var maker: Bool
    public var time: EpochMillis

    public init(
        tradeID: Int64, orderID: Int64, symbol: Symbol, side: OrderSide, price: Price, quantity: Quantity, quote: Notional,
        commission: Notional, commissionAsset: String, realizedPnL: Notional, maker: Bool, time: EpochMillis
    ) {
        self.tradeID = tradeID
        self.orderID = orderID
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.quote = quote
        self.commission = commission
        self.commissionAsset = commissionAsset
        self.realizedPnL = realizedPnL
        self.maker = maker
        self.time = time
    }
}

extension UserTrade {
    /// Decodes a userTrades row.
    public init(binance json: JSONValue) throws(WireDecodingError) {
        self.init(
            tradeID: try json.integer("id"),
            orderID: try json.integer("orderId"),
            symbol: try json.symbol("symbol"),
            side: try json.enumeration("side"),
            price: try json.decimal("price"),
            quantity: try json.decimal("qty"),
            quote: try json.valuation("quoteQty"),
            commission: try json.valuation("commission"),
            commissionAsset: try json.optionalString("commissionAsset") ?? "USDT",
            realizedPnL: try json.valuation("realizedPnl"),
            maker: try json.boolean("maker", default: false),
            time: try json.time("time"))
    }
}
