import QuantumCore

/// An order as the exchange reports it (`/fapi/v1/order` replies, openOrders, allOrders).
public struct VenueOrder: Hashable, Sendable {
    public var orderID: Int64
    /// The client order id; for orders this system did not send it may be anything (`autoclose-…`, `web_…`).
    public var clientOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    /// The order type as Binance names it (`MARKET`, `LIMIT`, `STOP_MARKET`, `TRAILING_STOP_MARKET`, …).
    public var typeName: String
    public var status: OrderStatus
    /// Limit price; zero for MARKET.
    public var price: Price
    /// Fill-weighted average price; zero before the first fill.
    public var averagePrice: Price
    public var originalQuantity: Quantity
    public var executedQuantity: Quantity
    public var cumulativeQuote: Notional
    public var reduceOnly: Bool
    public var closePosition: Bool
    public var updateTime: EpochMillis

    public init(
        orderID: Int64, clientOrderID: String, symbol: Symbol, side: OrderSide, typeName: String, status: OrderStatus,
        price: Price, averagePrice: Price, originalQuantity: Quantity, executedQuantity: Quantity, cumulativeQuote: Notional,
        reduceOnly: Bool, closePosition: Bool, updateTime: EpochMillis
    ) {
        self.orderID = orderID
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.typeName = typeName
        self.status = status
        self.price = price
        self.averagePrice = averagePrice
        self.originalQuantity = originalQuantity
        self.executedQuantity = executedQuantity
        self.cumulativeQuote = cumulativeQuote
        self.reduceOnly = reduceOnly
        self.closePosition = closePosition
        self.updateTime = updateTime
    }

    /// The type, when it is one the system sends.
    public var type: OrderType? { OrderType(rawValue: typeName) }
}

extension VenueOrder {
    /// Decodes Binance's order object.
    public init(binance json: JSONValue) throws(WireDecodingError) {
        self.init(
            orderID: try json.integer("orderId"),
            clientOrderID: try json.string("clientOrderId"),
            symbol: try json.symbol("symbol"),
            side: try json.enumeration("side"),
            typeName: try json.string("type"),
            status: try json.enumeration("status"),
            price: try json.decimal("price"),
            averagePrice: try json.decimal("avgPrice"),
            originalQuantity: try json.decimal("origQty"),
            executedQuantity: try json.decimal("executedQty"),
            cumulativeQuote: try json.optionalDecimal("cumQuote") ?? .zero,
            reduceOnly: try json.boolean("reduceOnly", default: false),
            closePosition: try json.boolean("closePosition", default: false),
            updateTime: EpochMillis(try json.firstInteger("updateTime", "time") ?? 0))
    }
}
