import QuantumCore

extension SimulatedExchange {
    /// Conditional types that now live on the algo endpoint (-4120 on the order endpoint).
    static let algoOnlyTypes: Set<String> = ["STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"]

    /// `POST /fapi/v1/order`: validates in Binance's order (reference §8.11), then accepts and matches.
    public mutating func placeOrder(_ key: String, _ request: NewOrderRequest, time: EpochMillis) throws(ExchangeError) -> SimOrder {
        defer { auditProtection(account: key, symbol: request.symbol, time: time) }
        // The account is taken out of the table while it changes, so its order and trade history is not copied
        // (copy-on-write would make every order cost as much as the whole history). Every check runs before
        // the first change, so a rejected order leaves the account as it was.
        _ = try requireAccount(key)
        var account = accounts.removeValue(forKey: key)!
        defer { accounts[key] = account }
        return try Self.guarded { try self.place(&account, request, time: time) }
    }

    private mutating func place(_ account: inout SimAccount, _ request: NewOrderRequest, time: EpochMillis) throws -> SimOrder {
        guard let rules = rules[request.symbol] else { throw ExchangeError.badSymbol }
        let type: OrderType
        switch request.type {
        case "MARKET": type = .market
        case "LIMIT": type = .limit
        case let other where Self.algoOnlyTypes.contains(other): throw ExchangeError.algoEndpointRequired
        default: throw ExchangeError.invalidOrderType
        }
        let positionSide = try resolvePositionSide(account, request.positionSide, reduceOnly: request.reduceOnly)
        guard let quantity = request.quantity else { throw ExchangeError.mandatoryParameter("quantity") }
        var timeInForce = TimeInForce.gtc
        if type == .limit {
            guard request.price != nil else { throw ExchangeError.mandatoryParameter("price") }
            guard let tif = request.timeInForce else { throw ExchangeError.mandatoryParameter("timeInForce") }
            timeInForce = tif
        }
        let reduceOnly = request.reduceOnly ?? false
        let mark = markets[request.symbol]?.mark
        var check = OrderCheck(type: type, side: request.side, quantity: quantity, price: type == .limit ? request.price : nil,
                               markPrice: mark, reduceOnly: true)
        if let violation = rules.validate(check) { throw ExchangeError(violation) }
        let clientID = try checkClientOrderID(account, request.clientOrderID, symbol: request.symbol)
        check.reduceOnly = reduceOnly
        if !reduceOnly, let violation = rules.validate(check), violation.binanceCode == -4164 { throw ExchangeError(violation) }
        guard let top = bookTop(request.symbol) else {
            throw ExchangeError.unableToFill
        }
        let positionKey = PositionKey(symbol: request.symbol, side: positionSide)
        let held = account.positions[positionKey]?.quantity ?? .zero
        let reducing = isReducing(side: request.side, positionSide: positionSide, held: held)
        if reduceOnly || (positionSide != .both && reducing) {
            guard reducing, !held.isZero else { throw ExchangeError.reduceOnlyRejected }
        }
        if account.openOrders(request.symbol).count + account.openAlgoOrders(request.symbol).count >= configuration.maxOpenOrders {
            throw ExchangeError.maxOpenOrders
        }
        let executionPrice = type == .market ? (request.side == .buy ? top.ask : top.bid) : request.price!
        if !reducing {
            try checkLeverageCap(account, positionKey, held: held, adding: quantity, price: executionPrice)
            try checkMargin(account, symbol: request.symbol, quantity: quantity, price: executionPrice)
        }
        let crosses = type == .market || (request.side == .buy ? request.price! >= top.ask : request.price! <= top.bid)
        if type == .limit, timeInForce == .gtx, crosses { throw ExchangeError.gtxWouldCross }
        if type == .limit, timeInForce == .fok, !crosses { throw ExchangeError.fokRejected }

        let orderID = takeOrderID()
        var order = SimOrder(
            orderID: orderID, clientOrderID: clientID ?? generatedClientID(prefix: "web_", id: orderID), symbol: request.symbol,
            side: request.side, type: type, price: type == .limit ? request.price! : .zero, originalQuantity: quantity,
            timeInForce: timeInForce, reduceOnly: reduceOnly, positionSide: positionSide, time: time, updateTime: time)
        account.events.append(.orderUpdate(OrderUpdate(order: order, executionType: .new, trade: nil, time: time)))
        if crosses {
            let price = request.side == .buy ? top.ask : top.bid
            if type == .market, splitMarketFills > 0,
               let first = try? rules.flooredQuantity(order.originalQuantity.scaled(by: 1, over: 2), for: OrderType.market),
               first.isPositive, first < order.originalQuantity {
                splitMarketFills -= 1
                try fill(&account, &order, quantity: first, price: price, maker: false, time: time, more: true)
                try fill(&account, &order, quantity: order.remainingQuantity, price: price, maker: false, time: time)
            } else {
                try fill(&account, &order, quantity: order.originalQuantity, price: price, maker: false, time: time)
            }
        } else if timeInForce == .ioc {
            order.status = .expired
            account.events.append(.orderUpdate(OrderUpdate(order: order, executionType: .expired, trade: nil, time: time)))
        }
        account.record(order)
        return order
    }

    /// `DELETE /fapi/v1/order` by id or client id: -2011 if unknown or no longer open.
    public mutating func cancelOrder(_ key: String, symbol: Symbol, orderID: Int64?, clientOrderID: String?, time: EpochMillis) throws(ExchangeError) -> SimOrder {
        _ = try requireAccount(key)
        guard orderID != nil || clientOrderID != nil else { throw ExchangeError.mandatoryParameter("orderId") }
        var account = accounts.removeValue(forKey: key)!
        defer { accounts[key] = account }
        guard var order = account.order(id: orderID, clientOrderID: clientOrderID), order.symbol == symbol, order.status.isOpen else {
            throw ExchangeError.unknownOrderCancel
        }
        order.status = .canceled
        order.updateTime = time
        account.record(order)
        account.events.append(.orderUpdate(OrderUpdate(order: order, executionType: .canceled, trade: nil, time: time)))
        return order
    }

    /// `DELETE /fapi/v1/allOpenOrders`: cancels every open order (and conditional order) of a symbol.
    public mutating func cancelAllOrders(_ key: String, symbol: Symbol, time: EpochMillis) throws(ExchangeError) {
        let account = try requireAccount(key)
        for order in account.openOrders(symbol) {
            _ = try cancelOrder(key, symbol: symbol, orderID: order.orderID, clientOrderID: nil, time: time)
        }
        for algo in account.openAlgoOrders(symbol) {
            _ = try cancelAlgoOrder(key, algoID: algo.algoID, clientAlgoID: nil, time: time)
        }
    }

    /// `GET /fapi/v1/order` by id or client id: -2013 if unknown.
    public func queryOrder(_ key: String, symbol: Symbol, orderID: Int64?, clientOrderID: String?) throws(ExchangeError) -> SimOrder {
        let account = try requireAccount(key)
        guard orderID != nil || clientOrderID != nil else { throw ExchangeError.mandatoryParameter("orderId") }
        guard let order = account.order(id: orderID, clientOrderID: clientOrderID), order.symbol == symbol else {
            throw ExchangeError.noSuchOrder
        }
        return order
    }

    // MARK: - Validation steps

    func resolvePositionSide(_ account: SimAccount, _ requested: PositionSideParameter?, reduceOnly: Bool?) throws -> PositionSideParameter {
        if account.hedgeMode {
            guard let requested, requested != .both else { throw ExchangeError.positionSideNotMatch }
            if reduceOnly != nil { throw ExchangeError.parameterNotRequired }
            return requested
        }
        if let requested, requested != .both { throw ExchangeError.positionSideNotMatch }
        return .both
    }

    func checkClientOrderID(_ account: SimAccount, _ id: String?, symbol: Symbol) throws -> String? {
        guard let id else { return nil }
        guard ClientOrderID(rawValue: id) != nil else { throw ExchangeError.invalidClientOrderID }
        if account.openOrders().contains(where: { $0.clientOrderID == id }) { throw ExchangeError.duplicateClientOrderID }
        return id
    }

    /// Whether an order side reduces the position held on that position side.
    func isReducing(side: OrderSide, positionSide: PositionSideParameter, held: Quantity) -> Bool {
        switch positionSide {
        case .long: side == .sell
        case .short: side == .buy
        case .both: (held.isPositive && side == .sell) || (held.isNegative && side == .buy)
        }
    }

    func checkLeverageCap(_ account: SimAccount, _ key: PositionKey, held: Quantity, adding quantity: Quantity, price: Price) throws {
        let leverage = account.leverage[key.symbol] ?? configuration.defaultLeverage
        guard let cap = maxNotional(key.symbol, leverage) else { return }
        let size = try (try held.magnitude()) + quantity
        if try price.notional(of: size) > cap { throw ExchangeError.maxLeverageRatio }
    }

    func checkMargin(_ account: SimAccount, symbol: Symbol, quantity: Quantity, price: Price) throws {
        let leverage = account.leverage[symbol] ?? configuration.defaultLeverage
        let notional = try price.notional(of: quantity, rounding: .up)
        let fee = try notional.fraction(configuration.takerFee, rounding: .up)
        let required = try Notional(units: (try notional.margin(at: leverage)).units) + fee
        if required > (try availableBalance(account)) { throw ExchangeError.marginInsufficient }
    }
}
