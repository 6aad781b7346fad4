import QuantumCore
import QuantumVenue
import QuantumSim

extension ExchangeDesk {
    /// `POST /fapi/v1/order`.
    mutating func newOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let account = try call.account()
        let request = try orderRequest(call)
        let respType = try responseType(call)
        if faults.partialFills > 0, request.type == "MARKET" {
            faults.partialFills -= 1
            paper.engine.splitMarketFills += 1
        }
        let order = try paper.engine.placeOrder(account, request, time: call.marketTime)
        // ACK answers at acceptance (status NEW, nothing executed), like Binance; RESULT shows the final state
        // unless the testnet fault says MARKET replies are NEW.
        let showNew = respType == "ACK" || (faults.marketRepliesNew && order.type == .market)
        return BinanceJSON.placedOrder(order, statusOverride: showNew ? .new : nil)
    }

    /// `POST /fapi/v1/order/test`: every check of a new order; nothing is placed.
    func testOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let account = try call.account()
        let request = try orderRequest(call)
        _ = try responseType(call)
        var scratch = engine
        let order = try scratch.placeOrder(account, request, time: call.marketTime)
        return BinanceJSON.placedOrder(order, statusOverride: .new)
    }

    /// The typed order of a `POST /fapi/v1/order` (and `/order/test`) request.
    func orderRequest(_ call: DeskCall) throws(ExchangeError) -> NewOrderRequest {
        let p = call.parameters
        let symbol = try symbol(call)
        let side = try p.requiredEnumeration("side", as: OrderSide.self, invalid: .invalidSide)
        let type = try p.requiredString("type")
        let clientID = p.string("newClientOrderId")
        return NewOrderRequest(
            symbol: symbol, side: side, type: type,
            quantity: try p.decimal("quantity", as: QuantityUnit.self),
            price: try p.decimal("price", as: PriceUnit.self),
            timeInForce: try p.enumeration("timeInForce", as: TimeInForce.self, invalid: .invalidTimeInForce),
            reduceOnly: try p.bool("reduceOnly"),
            positionSide: try p.enumeration("positionSide", as: PositionSideParameter.self,
                                            invalid: ExchangeError(code: -4060, message: "Invalid position side.")),
            clientOrderID: clientID)
    }

    /// `newOrderRespType`: ACK (default) or RESULT; `-1136` otherwise.
    func responseType(_ call: DeskCall) throws(ExchangeError) -> String {
        let type = call.parameters.string("newOrderRespType") ?? "ACK"
        guard type == "ACK" || type == "RESULT" else { throw ExchangeError(code: -1136, message: "Invalid newOrderRespType.") }
        return type
    }

    /// `GET /fapi/v1/order`.
    func queryOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let (symbol, id, clientID) = try orderReference(call)
        return BinanceJSON.order(try engine.queryOrder(try call.account(), symbol: symbol, orderID: id, clientOrderID: clientID))
    }

    /// `DELETE /fapi/v1/order`.
    mutating func cancelOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let (symbol, id, clientID) = try orderReference(call)
        return BinanceJSON.order(try paper.engine.cancelOrder(try call.account(), symbol: symbol, orderID: id, clientOrderID: clientID, time: call.marketTime))
    }

    /// `PUT /fapi/v1/order`: a resting LIMIT order's new price and quantity (same ids).
    mutating func modifyOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let (symbol, id, clientID) = try orderReference(call)
        let p = call.parameters
        let side = try p.requiredEnumeration("side", as: OrderSide.self, invalid: .invalidSide)
        guard let quantity = try p.decimal("quantity", as: QuantityUnit.self) else { throw .mandatoryParameter("quantity") }
        guard let price = try p.decimal("price", as: PriceUnit.self) else { throw .mandatoryParameter("price") }
        return BinanceJSON.order(try paper.engine.modifyOrder(try call.account(), symbol: symbol, orderID: id, clientOrderID: clientID, side: side,
                                                              quantity: quantity, price: price, time: call.marketTime))
    }

    /// `DELETE /fapi/v1/allOpenOrders`.
    mutating func cancelAllOrders(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        try paper.engine.cancelAllOrders(try call.account(), symbol: try symbol(call), time: call.marketTime)
        return BinanceJSON.success("The operation of cancel all open order is done.")
    }

    /// `GET /fapi/v1/openOrders`: all symbols without `symbol`.
    func openOrders(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try optionalSymbol(call)
        return .array(try accountState(call).openOrders(symbol).map(BinanceJSON.order))
    }

    /// `GET /fapi/v1/openOrder`: one open order; `-2013` if it is not open.
    func openOrder(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let (symbol, id, clientID) = try orderReference(call)
        let order = try engine.queryOrder(try call.account(), symbol: symbol, orderID: id, clientOrderID: clientID)
        guard order.status.isOpen else { throw .noSuchOrder }
        return BinanceJSON.order(order)
    }

    /// `GET /fapi/v1/allOrders`: a symbol's orders from `orderId` on, or within a time window, oldest first.
    func allOrders(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let limit = try limit(call, default: 500, max: 1_000)
        let fromID = try call.parameters.int64("orderId")
        let (start, end) = try window(call)
        let orders = try accountState(call).orders.values
            .filter { order in
                order.symbol == symbol && (fromID.map { order.orderID >= $0 } ?? true)
                    && (start.map { order.time >= $0 } ?? true) && (end.map { order.time <= $0 } ?? true)
            }
            .sorted { $0.orderID < $1.orderID }
        let chosen = fromID != nil || start != nil ? Array(orders.prefix(limit)) : Array(orders.suffix(limit))
        return .array(chosen.map(BinanceJSON.order))
    }

    /// `GET /fapi/v1/userTrades`: a symbol's fills, oldest first.
    func userTrades(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let limit = try limit(call, default: 500, max: 1_000)
        let orderID = try call.parameters.int64("orderId")
        let fromID = try call.parameters.int64("fromId")
        let (start, end) = try window(call)
        let trades = try accountState(call).trades.filter { trade in
            trade.symbol == symbol && (orderID.map { trade.orderID == $0 } ?? true) && (fromID.map { trade.tradeID >= $0 } ?? true)
                && (start.map { trade.time >= $0 } ?? true) && (end.map { trade.time <= $0 } ?? true)
        }
        let chosen = fromID != nil || start != nil ? Array(trades.prefix(limit)) : Array(trades.suffix(limit))
        return .array(chosen.map(BinanceJSON.userTrade))
    }

    // MARK: - Helpers

    /// `symbol` and `orderId` or `origClientOrderId` (`-1102` naming orderId when neither is sent).
    func orderReference(_ call: DeskCall) throws(ExchangeError) -> (Symbol, Int64?, String?) {
        let symbol = try symbol(call)
        let id = try call.parameters.int64("orderId")
        let clientID = call.parameters.string("origClientOrderId")
        guard id != nil || clientID != nil else { throw .mandatoryParameter("orderId") }
        return (symbol, id, clientID)
    }

    /// `startTime`/`endTime`, at most 7 days apart (`-1130` on endTime otherwise or when reversed).
    func window(_ call: DeskCall) throws(ExchangeError) -> (EpochMillis?, EpochMillis?) {
        let start = try call.parameters.millis("startTime")
        let end = try call.parameters.millis("endTime")
        if let start, let end, end < start || end.rawValue - start.rawValue > 7 * 86_400_000 { throw .invalidParameter("endTime") }
        return (start, end)
    }

    /// The caller's account state.
    func accountState(_ call: DeskCall) throws(ExchangeError) -> SimAccount {
        guard let account = engine.account(try call.account()) else { throw EdgeErrors.rejectedAPIKey(requestIP: nil) }
        return account
    }
}
