import QuantumCore

extension SimulatedExchange {
    /// Executes `quantity` of an order at `price`: position, wallet, fees, trade and events.
    ///
    /// A reduce-only order never fills beyond the position it reduces; the excess expires — unless `more` trades of this
    /// order follow at once (a market order walking the book).
    mutating func fill(_ account: inout SimAccount, _ order: inout SimOrder, quantity requested: Quantity, price: Price, maker: Bool,
                       time: EpochMillis, more: Bool = false) throws {
        let key = PositionKey(symbol: order.symbol, side: order.positionSide)
        var ledger = account.positions[key] ?? PositionLedger()
        var quantity = requested
        if order.reduceOnly || order.closePosition || order.positionSide != .both && isReducing(side: order.side, positionSide: order.positionSide, held: ledger.quantity) {
            quantity = min(quantity, try ledger.quantity.magnitude())
        }
        guard quantity.isPositive else {
            try expire(&account, &order, time: time)
            return
        }
        let cost = try FillCost(price: price, quantity: quantity, rate: maker ? configuration.makerFee : configuration.takerFee)
        let quote = cost.quote, commission = cost.commission
        let held = try ledger.quantity.magnitude()
        let effect = try ledger.apply(Fill(side: order.side, quantity: quantity, price: price, fee: commission))
        let realized: Notional
        switch effect {
        case .opened, .increased: realized = .zero
        case .reduced(let r), .closed(let r), .flipped(let r): realized = r
        }
        try moveIsolatedMargin(&account, key: key, heldBefore: held, ledger: ledger, price: price)
        account.walletBalance = try (try account.walletBalance + realized) - commission
        account.positions[key] = ledger.quantity.isZero ? nil : ledger
        account.positionUpdateTime[key] = time

        order.executedQuantity = try order.executedQuantity + quantity
        order.cumulativeQuote = try order.cumulativeQuote + quote
        order.status = order.executedQuantity >= order.originalQuantity ? .filled : .partiallyFilled
        order.updateTime = time
        let trade = SimTrade(tradeID: takeTradeID(), orderID: order.orderID, symbol: order.symbol, side: order.side, price: price,
                             quantity: quantity, quote: quote, commission: commission, realizedPnL: realized, maker: maker,
                             positionSide: order.positionSide, time: time)
        account.trades.append(trade)
        account.events.append(.orderUpdate(OrderUpdate(order: order, executionType: .trade, trade: trade, time: time)))
        account.events.append(.accountUpdate(AccountUpdate(
            reason: .order, walletBalance: account.walletBalance, positions: [try snapshot(account, key)], time: time)))
        if order.status == .partiallyFilled, !more, order.type == .market || order.reduceOnly || order.closePosition {
            try expire(&account, &order, time: time)
        }
        if ledger.quantity.isZero { try expireReduceOnlyOrders(&account, key: key, except: order.orderID, time: time) }
    }

    /// Marks an order expired with an event.
    func expire(_ account: inout SimAccount, _ order: inout SimOrder, time: EpochMillis) throws {
        order.status = .expired
        order.updateTime = time
        account.events.append(.orderUpdate(OrderUpdate(order: order, executionType: .expired, trade: nil, time: time)))
    }

    /// Binance cancels reduce-only orders that can no longer reduce anything once the position is flat.
    func expireReduceOnlyOrders(_ account: inout SimAccount, key: PositionKey, except orderID: Int64, time: EpochMillis) throws {
        for var order in account.openOrders(key.symbol) where order.reduceOnly && order.positionSide == key.side && order.orderID != orderID {
            try expire(&account, &order, time: time)
            account.record(order)
        }
    }

    /// Fills resting limit orders of a symbol that the new last price trades through, at their limit price (maker).
    mutating func fillRestingOrders(account key: String, symbol: Symbol, time: EpochMillis) {
        guard let last = markets[symbol]?.last,
              accounts[key]?.openOrders(symbol).contains(where: { $0.type == .limit && ($0.side == .buy ? last <= $0.price : last >= $0.price) }) == true,
              var account = accounts.removeValue(forKey: key) else { return }
        // Taken out of the table while it changes, so the account's history is not copied per fill.
        defer { accounts[key] = account }
        for var order in account.openOrders(symbol) where order.type == .limit {
            let crossed = order.side == .buy ? last <= order.price : last >= order.price
            guard crossed else { continue }
            do {
                try fill(&account, &order, quantity: order.remainingQuantity, price: order.price, maker: true, time: time)
            } catch {
                // A fill that cannot be booked (arithmetic beyond 92 billion units) cancels the order. `fill` does its
                // failing arithmetic (quote, fee, ledger) before it books anything; only the isolated-margin and wallet
                // sums come later. No copy of the account is held for a rollback: that copy would make every fill cost
                // as much as the account's whole history.
                order.status = .canceled
                account.events.append(.orderUpdate(OrderUpdate(order: order, executionType: .canceled, trade: nil, time: time)))
            }
            account.record(order)
        }
    }

    /// Isolated positions carry their own margin: added on increase, released pro rata on reduce.
    func moveIsolatedMargin(_ account: inout SimAccount, key: PositionKey, heldBefore: Quantity, ledger: PositionLedger, price: Price) throws {
        guard account.marginType[key.symbol] == .isolated else { return }
        let leverage = account.leverage[key.symbol] ?? configuration.defaultLeverage
        let heldAfter = try ledger.quantity.magnitude()
        let wallet = account.isolatedWallet[key] ?? .zero
        if heldAfter > heldBefore {
            let added = try price.notional(of: try heldAfter - heldBefore, rounding: .up)
            account.isolatedWallet[key] = try wallet + Notional(units: (try added.margin(at: leverage)).units)
        } else if heldBefore.isPositive {
            let kept = try wallet.scaled(by: heldAfter.units, over: heldBefore.units)
            account.isolatedWallet[key] = heldAfter.isZero ? nil : kept
        }
    }
}
