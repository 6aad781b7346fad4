import QuantumCore

extension SimulatedExchange {
    /// `POST /fapi/v1/algoOrder` (algoType CONDITIONAL): a STOP_MARKET or TAKE_PROFIT_MARKET that fires a market order.
    public mutating func placeAlgoOrder(_ key: String, _ request: NewAlgoOrderRequest, time: EpochMillis) throws(ExchangeError) -> AlgoOrder {
        defer { auditProtection(account: key, symbol: request.symbol, time: time) }
        let algo = try newAlgoOrder(key, request, time: time)
        // Changed in place, not through a copy: writing a copy back duplicated the account's whole order history on
        // every stop placed.
        accounts[key]?.record(algo)
        accounts[key]?.events.append(.algoUpdate(algo, time: time))
        return algo
    }

    /// The conditional order `request` makes, checked against the account and the symbol's rules (nothing changes but
    /// the algo id counter).
    private mutating func newAlgoOrder(_ key: String, _ request: NewAlgoOrderRequest, time: EpochMillis) throws(ExchangeError) -> AlgoOrder {
        let account = try requireAccount(key)
        guard let rules = rules[request.symbol] else { throw ExchangeError.badSymbol }
        let type: OrderType
        switch request.type {
        case "STOP_MARKET": type = .stopMarket
        case "TAKE_PROFIT_MARKET": type = .takeProfitMarket
        default: throw ExchangeError.invalidOrderType
        }
        guard let trigger = request.triggerPrice else { throw ExchangeError.mandatoryParameter("triggerPrice") }
        let positionSide = try Self.guarded { try resolvePositionSide(account, request.positionSide, reduceOnly: request.closePosition ? nil : request.reduceOnly) }
        if request.closePosition {
            if request.quantity != nil { throw ExchangeError.quantityWithClosePosition }
            if request.reduceOnly == false { throw ExchangeError.reduceOnlyWithClosePosition }
        } else if request.quantity == nil {
            throw ExchangeError.mandatoryParameter("quantity")
        }
        let check = OrderCheck(type: type, side: request.side, quantity: request.quantity ?? .zero, stopPrice: trigger,
                               reduceOnly: true, closePosition: request.closePosition)
        if let violation = rules.validate(check) { throw ExchangeError(violation) }
        if let id = request.clientAlgoID {
            guard ClientOrderID(rawValue: id) != nil else { throw ExchangeError.invalidClientOrderID }
            if account.algoOrder(clientAlgoID: id)?.status == .new { throw ExchangeError.duplicateClientOrderID }
        }
        if account.openOrders(request.symbol).count + account.openAlgoOrders(request.symbol).count >= configuration.maxOpenOrders {
            throw ExchangeError.maxOpenOrders
        }
        let algoID = takeAlgoID()
        let algo = AlgoOrder(
            algoID: algoID, clientAlgoID: request.clientAlgoID ?? generatedClientID(prefix: "algo_", id: algoID), symbol: request.symbol,
            side: request.side, type: type, triggerPrice: trigger, workingType: request.workingType, closePosition: request.closePosition,
            quantity: request.quantity, reduceOnly: request.closePosition || (request.reduceOnly ?? false), positionSide: positionSide,
            time: time, updateTime: time)
        if let price = triggerReference(algo), Self.isTriggered(algo, at: price) { throw ExchangeError.wouldImmediatelyTrigger }
        return algo
    }

    /// `DELETE /fapi/v1/algoOrder` by algo id or client algo id.
    public mutating func cancelAlgoOrder(_ key: String, algoID: Int64?, clientAlgoID: String?, time: EpochMillis) throws(ExchangeError) -> AlgoOrder {
        var audited: Symbol?
        defer { if let audited { auditProtection(account: key, symbol: audited, time: time) } }
        guard var algo = findAlgo(try requireAccount(key), algoID: algoID, clientAlgoID: clientAlgoID), algo.status == .new else {
            throw ExchangeError.unknownOrderCancel
        }
        algo.status = .canceled
        algo.updateTime = time
        // In place: a copy written back duplicated the account's order history on every cancel.
        accounts[key]?.record(algo)
        accounts[key]?.events.append(.algoUpdate(algo, time: time))
        audited = algo.symbol
        return algo
    }

    /// `GET /fapi/v1/algoOrder`: -2013 if unknown.
    public func queryAlgoOrder(_ key: String, algoID: Int64?, clientAlgoID: String?) throws(ExchangeError) -> AlgoOrder {
        let account = try requireAccount(key)
        guard let algo = findAlgo(account, algoID: algoID, clientAlgoID: clientAlgoID) else { throw ExchangeError.noSuchOrder }
        return algo
    }

    func findAlgo(_ account: SimAccount, algoID: Int64?, clientAlgoID: String?) -> AlgoOrder? {
        if let algoID { return account.algoOrders[algoID] }
        guard let clientAlgoID else { return nil }
        return account.algoOrder(clientAlgoID: clientAlgoID)
    }

    /// The price a conditional order compares with its trigger.
    func triggerReference(_ algo: AlgoOrder) -> Price? {
        guard let market = markets[algo.symbol] else { return nil }
        return algo.workingType == .markPrice ? market.mark : market.last
    }

    /// Stops buy when the price rises to the trigger and sell when it falls to it; take-profits the reverse.
    static func isTriggered(_ algo: AlgoOrder, at price: Price) -> Bool {
        switch (algo.type, algo.side) {
        case (.stopMarket, .buy), (.takeProfitMarket, .sell): price >= algo.triggerPrice
        case (.stopMarket, .sell), (.takeProfitMarket, .buy): price <= algo.triggerPrice
        default: false
        }
    }

    /// Fires every live conditional order of a symbol whose trigger the new price reached.
    mutating func triggerAlgoOrders(account key: String, symbol: Symbol, time: EpochMillis) {
        // Looked at first without changing anything: on most ticks nothing fires, and the account is left in place.
        let fired = (accounts[key]?.openAlgoOrders(symbol) ?? []).filter { algo in
            guard let price = triggerReference(algo) else { return false }
            return Self.isTriggered(algo, at: price)
        }
        guard !fired.isEmpty, let top = bookTop(symbol) else { return }
        // Taken out of the table while it changes, so its history is not copied (the fill still works on a copy of its
        // own, so a failed fill leaves the account as it was).
        var account = accounts.removeValue(forKey: key)!
        defer { accounts[key] = account }
        for var algo in fired {
            algo.status = .triggered
            algo.updateTime = time
            account.events.append(.algoUpdate(algo, time: time))
            let positionKey = PositionKey(symbol: symbol, side: algo.positionSide)
            let held = (try? account.positions[positionKey]?.quantity.magnitude()) ?? .zero
            let quantity = algo.closePosition ? held : (algo.quantity ?? .zero)
            let reducing = isReducing(side: algo.side, positionSide: algo.positionSide, held: account.positions[positionKey]?.quantity ?? .zero)
            if !quantity.isPositive || (algo.reduceOnly && !reducing) {
                algo.status = .expired
                account.record(algo)
                account.events.append(.algoUpdate(algo, time: time))
                continue
            }
            let orderID = takeOrderID()
            var order = SimOrder(
                orderID: orderID, clientOrderID: algo.clientAlgoID, symbol: symbol, side: algo.side, type: .market, price: .zero,
                originalQuantity: quantity, timeInForce: .gtc, reduceOnly: algo.reduceOnly, closePosition: algo.closePosition,
                positionSide: algo.positionSide, time: time, updateTime: time)
            account.events.append(.orderUpdate(OrderUpdate(order: order, executionType: .new, trade: nil, time: time)))
            do {
                // The fill works on a copy, kept only if it succeeds; the copy ends here, so the account is changed in
                // place again below instead of being copied a second time.
                var attempt = account
                if (try? fill(&attempt, &order, quantity: quantity, price: algo.side == .buy ? top.ask : top.bid, maker: false, time: time)) != nil {
                    account = attempt
                }
            }
            account.record(order)
            algo.triggeredOrderID = orderID
            algo.status = .finished
            account.record(algo)
            account.events.append(.algoUpdate(algo, time: time))
        }
    }
}
