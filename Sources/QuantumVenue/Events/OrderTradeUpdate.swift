import QuantumCore

/// An `ORDER_TRADE_UPDATE`: an order changed state, and if it filled, the fill.
public struct OrderTradeUpdate: Hashable, Sendable {
    public var symbol: Symbol
    /// Our client order id, or the exchange's (`autoclose-…` liquidation, `adl_autoclose`, manual orders).
    public var clientOrderID: String
    public var orderID: Int64
    public var side: OrderSide
    public var typeName: String
    /// `NEW`, `TRADE`, `CANCELED`, `EXPIRED`, `CALCULATED` (liquidation), `AMENDMENT`.
    public var executionType: String
    public var status: OrderStatus
    public var originalQuantity: Quantity
    public var cumulativeQuantity: Quantity
    public var averagePrice: Price
    public var reduceOnly: Bool
    public var closePosition: Bool
    /// The fill this update reports (execution type `TRADE` or `CALCULATED`), if any.
    public var trade: UserTrade?
    /// Transaction time.
    public var time: EpochMillis

    public init(
        symbol: Symbol, clientOrderID: String, orderID: Int64, side: OrderSide, typeName: String, executionType: String,
        status: OrderStatus, originalQuantity: Quantity, cumulativeQuantity: Quantity, averagePrice: Price, reduceOnly: Bool,
        closePosition: Bool, trade: UserTrade?, time: EpochMillis
    ) {
        self.symbol = symbol
        self.clientOrderID = clientOrderID
        self.orderID = orderID
        self.side = side
        self.typeName = typeName
        self.executionType = executionType
        self.status = status
        self.originalQuantity = originalQuantity
        self.cumulativeQuantity = cumulativeQuantity
        self.averagePrice = averagePrice
        self.reduceOnly = reduceOnly
        self.closePosition = closePosition
        self.trade = trade
        self.time = time
    }
}

extension OrderTradeUpdate {
    /// Decodes the event (the whole frame, with its `o` object).
    public init(binance event: JSONValue) throws(WireDecodingError) {
        let o = try event.member("o")
        do {
            let symbol = try o.symbol("s")
            let side: OrderSide = try o.enumeration("S")
            let time = EpochMillis(try o.optionalInteger("T") ?? event.firstInteger("T", "E") ?? 0)
            let lastQuantity: Quantity = try o.optionalDecimal("l") ?? .zero
            let tradeID = try o.optionalInteger("t") ?? 0
            var trade: UserTrade?
            if lastQuantity.isPositive, tradeID != 0 {
                let price: Price = try o.decimal("L")
                trade = UserTrade(
                    tradeID: tradeID, orderID: try o.integer("i"), symbol: symbol, side: side, price: price, quantity: lastQuantity,
                    quote: try price.notional(of: lastQuantity, rounding: .nearest), commission: try o.optionalDecimal("n") ?? .zero,
                    commissionAsset: try o.optionalString("N") ?? "USDT", realizedPnL: try o.optionalDecimal("rp") ?? .zero,
                    maker: try o.boolean("m", default: false), time: time)
            }
            self.init(
                symbol: symbol, clientOrderID: try o.string("c"), orderID: try o.integer("i"), side: side, typeName: try o.string("o"),
                executionType: try o.string("x"), status: try o.enumeration("X"), originalQuantity: try o.decimal("q"),
                cumulativeQuantity: try o.decimal("z"), averagePrice: try o.optionalDecimal("ap") ?? .zero,
                reduceOnly: try o.boolean("R", default: false), closePosition: try o.boolean("cp", default: false), trade: trade, time: time)
        } catch let error as WireDecodingError {
            throw error.within("o")
        } catch {
            throw WireDecodingError(field: "o.L", message: "fill value out of range: \(error)")
        }
    }
}
