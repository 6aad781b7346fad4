import QuantumCore

extension SimulatedExchange {
    /// `PUT /fapi/v1/order`: a resting LIMIT order gets a new price and quantity, keeping its ids, as Binance modifies.
    ///
    /// Checked like a new order (filters, margin for any added quantity, GTX still a maker); the same price and
    /// quantity is -5027, a quantity not above what already filled is -4003, an order that is not open is -2013.
    /// An AMENDMENT update goes on the user stream, and an order whose new price crosses the book fills as a taker.
    public mutating func modifyOrder(
        _ key: String, symbol: Symbol, orderID: Int64?, clientOrderID: String?, side: OrderSide, quantity: Quantity, price: Price,
        time: EpochMillis
    ) throws(ExchangeError) -> SimOrder {
        defer { auditProtection(account: key, symbol: symbol, time: time) }
        _ = try requireAccount(key)
        guard orderID != nil || clientOrderID != nil else { throw ExchangeError.mandatoryParameter("orderId") }
        var account = accounts.removeValue(forKey: key)!
        defer { accounts[key] = account }
        return try Self.guarded { try self.modify(&account, symbol: symbol, orderID: orderID, clientOrderID: clientOrderID, side: side,
                                                  quantity: quantity, price: price, time: time) }
    }

    private mutating func modify(
        _ account: inout SimAccount, symbol: Symbol, orderID: Int64?, clientOrderID: String?, side: OrderSide, quantity: Quantity, price: Price,
        time: EpochMillis
    ) throws -> SimOrder {
        guard var order = account.order(id: orderID, clientOrderID: clientOrderID), order.symbol == symbol, order.status.isOpen else {
            throw ExchangeError.noSuchOrder
        }
        guard order.type == .limit else { throw ExchangeError.invalidOrderType }
        guard order.side == side else { throw ExchangeError.invalidSide }
        guard let rules = rules[symbol] else { throw ExchangeError.badSymbol }
        if order.price == price, order.originalQuantity == quantity { throw ExchangeError.noNeedToModify }
        guard quantity > order.executedQuantity else { throw ExchangeError.modifyBelowExecuted }
        let check = OrderCheck(type: .limit, side: side, quantity: quantity, price: price, markPrice: markets[symbol]?.mark, reduceOnly: order.reduceOnly)
        if let violation = rules.validate(check) { throw ExchangeError(violation) }
        guard let top = bookTop(symbol) else { throw ExchangeError.unableToFill }
        let crosses = side == .buy ? price >= top.ask : price <= top.bid
        if order.timeInForce == .gtx, crosses { throw ExchangeError.gtxWouldCross }
        let positionKey = PositionKey(symbol: symbol, side: order.positionSide)
        let held = account.positions[positionKey]?.quantity ?? .zero
        if !isReducing(side: side, positionSide: order.positionSide, held: held), quantity > order.originalQuantity {
            let added = try quantity - order.originalQuantity
            try checkLeverageCap(account, positionKey, held: held, adding: added, price: price)
            try checkMargin(account, symbol: symbol, quantity: added, price: price)
        }
        order.price = price
        order.originalQuantity = quantity
        order.updateTime = time
        account.events.append(.orderUpdate(OrderUpdate(order: order, executionType: .amendment, trade: nil, time: time)))
        if crosses {
            try fill(&account, &order, quantity: order.remainingQuantity, price: side == .buy ? top.ask : top.bid, maker: false, time: time)
        }
        account.record(order)
        return order
    }
}
