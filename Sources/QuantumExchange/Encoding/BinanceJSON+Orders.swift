import QuantumCore
import QuantumVenue
import QuantumSim

extension BinanceJSON {
    /// An order as `POST/GET/DELETE /fapi/v1/order`, openOrders and allOrders return it.
    public static func order(_ order: SimOrder) -> JSONValue {
        [
            "orderId": .integer(order.orderID),
            "symbol": .string(order.symbol.rawValue),
            "status": .string(order.status.rawValue),
            "clientOrderId": .string(order.clientOrderID),
            "price": decimal(order.price),
            "avgPrice": decimal(order.averagePrice),
            "origQty": decimal(order.originalQuantity),
            "executedQty": decimal(order.executedQuantity),
            "cumQty": decimal(order.executedQuantity),
            "cumQuote": decimal(order.cumulativeQuote),
            "timeInForce": .string(order.timeInForce.rawValue),
            "type": .string(order.type.rawValue),
            "reduceOnly": .bool(order.reduceOnly),
            "closePosition": .bool(order.closePosition),
            "side": .string(order.side.rawValue),
            "positionSide": .string(order.positionSide.rawValue),
            "stopPrice": "0",
            "workingType": "CONTRACT_PRICE",
            "priceProtect": false,
            "origType": .string(order.type.rawValue),
            "priceMatch": "NONE",
            "selfTradePreventionMode": "EXPIRE_MAKER",
            "goodTillDate": 0,
            "time": .time(order.time),
            "updateTime": .time(order.updateTime),
        ]
    }

    /// An order as a just-placed reply: the same object with the status a testnet-like venue may show.
    ///
    /// `statusOverride` is the fault "MARKET replies with status NEW": the order filled, the reply says it did not.
    public static func placedOrder(_ order: SimOrder, statusOverride: OrderStatus?) -> JSONValue {
        guard let status = statusOverride else { return self.order(order) }
        var shown = order
        shown.status = status
        shown.executedQuantity = .zero
        shown.cumulativeQuote = .zero
        return self.order(shown)
    }

    /// A conditional order as the algo endpoints return it.
    public static func algoOrder(_ algo: AlgoOrder) -> JSONValue {
        [
            "algoId": .integer(algo.algoID),
            "clientAlgoId": .string(algo.clientAlgoID),
            "algoType": "CONDITIONAL",
            "orderType": .string(algo.type.rawValue),
            "symbol": .string(algo.symbol.rawValue),
            "side": .string(algo.side.rawValue),
            "positionSide": .string(algo.positionSide.rawValue),
            "timeInForce": "GTC",
            "quantity": decimal(algo.quantity ?? .zero),
            "algoStatus": .string(algo.status.rawValue),
            "actualOrderId": .string(algo.triggeredOrderID.map(String.init) ?? ""),
            "actualPrice": "0",
            "triggerPrice": decimal(algo.triggerPrice),
            "price": "0",
            "icebergQuantity": .null,
            "tpTriggerPrice": "0",
            "tpPrice": "0",
            "slTriggerPrice": "0",
            "slPrice": "0",
            "tpOrderType": "",
            "selfTradePreventionMode": "EXPIRE_MAKER",
            "workingType": .string(algo.workingType.rawValue),
            "priceMatch": "NONE",
            "closePosition": .bool(algo.closePosition),
            "priceProtect": false,
            "reduceOnly": .bool(algo.reduceOnly || algo.closePosition),
            "activatePrice": "",
            "callbackRate": "",
            "createTime": .time(algo.time),
            "updateTime": .time(algo.updateTime),
            "triggerTime": .integer(algo.status == .new || algo.status == .canceled ? 0 : algo.updateTime.rawValue),
            "goodTillDate": 0,
        ]
    }

    /// A fill as `GET /fapi/v1/userTrades` returns it (commission positive).
    public static func userTrade(_ trade: SimTrade) -> JSONValue {
        [
            "buyer": .bool(trade.side == .buy),
            "commission": decimal(trade.commission),
            "commissionAsset": "USDT",
            "id": .integer(trade.tradeID),
            "maker": .bool(trade.maker),
            "orderId": .integer(trade.orderID),
            "price": decimal(trade.price),
            "qty": decimal(trade.quantity),
            "quoteQty": decimal(trade.quote),
            "realizedPnl": decimal(trade.realizedPnL),
            "side": .string(trade.side.rawValue),
            "positionSide": .string(trade.positionSide.rawValue),
            "symbol": .string(trade.symbol.rawValue),
            "time": .time(trade.time),
        ]
    }
}
