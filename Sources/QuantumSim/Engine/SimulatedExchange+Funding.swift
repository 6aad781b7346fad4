import QuantumCore

extension SimulatedExchange {
    /// Settles funding on every position of a symbol: `payment = quantity × mark × rate` (longs pay a positive rate).
    public mutating func applyFunding(_ symbol: Symbol, rate: Ratio, time: EpochMillis) {
        guard let mark = mark(symbol) else { return }
        for key in accounts.keys.sorted() {
            guard var account = accounts[key] else { continue }
            var changed: [PositionSnapshot] = []
            for (position, ledger) in account.positions where position.symbol == symbol {
                guard let notional = try? mark.notional(of: ledger.quantity), let payment = try? notional.fraction(rate),
                      let wallet = try? account.walletBalance - payment else { continue }
                account.walletBalance = wallet
                if let snapshot = try? snapshot(account, position) { changed.append(snapshot) }
            }
            guard !changed.isEmpty else { continue }
            account.events.append(.accountUpdate(AccountUpdate(reason: .fundingFee, walletBalance: account.walletBalance, positions: changed, time: time)))
            accounts[key] = account
        }
    }

    /// Liquidates, at the mark price, every cross position of an account whose margin balance fell below its maintenance
    /// margin, and every isolated position whose own wallet did; the orders carry `autoclose-` client ids like Binance's.
    mutating func liquidateIfNeeded(time: EpochMillis) {
        for key in accounts.keys.sorted() {
            guard var account = accounts[key], !account.positions.isEmpty else { continue }
            var doomed: [PositionKey] = []
            if let summary = try? summarize(account) {
                let crossMaintenance = account.positions.keys.filter { account.marginType[$0.symbol] != .isolated }
                var required = Notional.zero
                for position in crossMaintenance {
                    let ledger = account.positions[position]!
                    if let notional = try? (try (mark(position.symbol) ?? ledger.entryPrice).notional(of: ledger.quantity)).magnitude(),
                       let margin = try? maintenanceMargin(position.symbol, notional), let sum = try? required + margin {
                        required = sum
                    }
                }
                if let collateral = try? availableCollateral(account), !crossMaintenance.isEmpty, collateral < required || summary.marginBalance.isNegative {
                    doomed += crossMaintenance
                }
            }
            for (position, wallet) in account.isolatedWallet {
                guard let ledger = account.positions[position], let mark = mark(position.symbol),
                      let pnl = try? ledger.unrealizedPnL(at: mark), let notional = try? (try mark.notional(of: ledger.quantity)).magnitude(),
                      let margin = try? maintenanceMargin(position.symbol, notional), let equity = try? wallet + pnl, equity < margin else { continue }
                doomed.append(position)
            }
            for position in doomed.sorted() { liquidate(&account, position, time: time) }
            if !doomed.isEmpty { accounts[key] = account }
        }
    }

    /// Liquidates the account's position in `symbol` now, whatever its margin (an exchange's liquidation or
    /// auto-deleveraging, as a fault); `false` when there is none.
    public mutating func forceLiquidation(_ key: String, symbol: Symbol, time: EpochMillis) -> Bool {
        guard var account = accounts[key], let position = account.positions.keys.sorted().first(where: { $0.symbol == symbol }) else {
            return false
        }
        liquidate(&account, position, time: time)
        accounts[key] = account
        return true
    }

    /// Closes one position at the mark with a market order named `autoclose-…`.
    private mutating func liquidate(_ account: inout SimAccount, _ position: PositionKey, time: EpochMillis) {
        guard let ledger = account.positions[position], let mark = mark(position.symbol), let size = try? ledger.quantity.magnitude() else { return }
        let orderID = takeOrderID()
        var order = SimOrder(
            orderID: orderID, clientOrderID: "autoclose-\(time.rawValue)-\(orderID)", symbol: position.symbol,
            side: ledger.quantity.isPositive ? .sell : .buy, type: .market, price: .zero, originalQuantity: size,
            timeInForce: .ioc, reduceOnly: true, positionSide: position.side, time: time, updateTime: time)
        var attempt = account
        if (try? fill(&attempt, &order, quantity: size, price: mark, maker: false, time: time)) != nil {
            account = attempt
            if account.walletBalance.isNegative { account.walletBalance = .zero }  // the insurance fund absorbs the rest
            account.isolatedWallet[position] = nil
            account.record(order)
        }
    }
}
