import QuantumCore

/// Account totals as `GET /fapi/v2/account` reports them.
public struct AccountSummary: Hashable, Sendable {
    public var walletBalance: Notional
    public var unrealizedPnL: Notional
    /// wallet + unrealised PnL.
    public var marginBalance: Notional
    public var initialMargin: Notional
    public var maintenanceMargin: Notional
    public var openOrderMargin: Notional
    public var availableBalance: Notional
}

extension SimulatedExchange {
    /// The mark price of a symbol (the last price until a mark is known).
    func mark(_ symbol: Symbol) -> Price? { markets[symbol]?.mark }

    /// A position as Binance reports it.
    func snapshot(_ account: SimAccount, _ key: PositionKey) throws -> PositionSnapshot {
        let ledger = account.positions[key] ?? PositionLedger()
        let mark = self.mark(key.symbol) ?? ledger.entryPrice
        let notional = try mark.notional(of: ledger.quantity)
        let unrealized = try ledger.unrealizedPnL(at: mark)
        let marginType = account.marginType[key.symbol] ?? .cross
        let wallet = account.isolatedWallet[key] ?? .zero
        var liquidation = Price.zero
        if !ledger.quantity.isZero {
            let collateral: Notional = marginType == .isolated
                ? wallet
                : try (try availableCollateral(account)) - unrealized
            liquidation = try liquidationPrice(ledger, collateral: collateral, symbol: key.symbol, notional: try notional.magnitude())
        }
        return PositionSnapshot(
            symbol: key.symbol, positionSide: key.side, quantity: ledger.quantity, entryPrice: ledger.entryPrice, markPrice: mark,
            unrealizedPnL: unrealized, notional: notional, leverage: account.leverage[key.symbol] ?? configuration.defaultLeverage,
            marginType: marginType, isolatedWallet: wallet, liquidationPrice: liquidation,
            updateTime: account.positionUpdateTime[key] ?? EpochMillis(0))
    }

    /// Every position of the account (non-zero), by symbol then side.
    public func positions(_ key: String) throws(ExchangeError) -> [PositionSnapshot] {
        let account = try requireAccount(key)
        return try Self.guarded { try account.positions.keys.sorted().map { try snapshot(account, $0) } }
    }

    /// The position of one symbol and side (zero if none), as positionRisk reports it.
    public func position(_ key: String, symbol: Symbol, side: PositionSideParameter = .both) throws(ExchangeError) -> PositionSnapshot {
        let account = try requireAccount(key)
        return try Self.guarded { try snapshot(account, PositionKey(symbol: symbol, side: side)) }
    }

    /// Account totals.
    public func summary(_ key: String) throws(ExchangeError) -> AccountSummary {
        let account = try requireAccount(key)
        return try Self.guarded { try summarize(account) }
    }

    func summarize(_ account: SimAccount) throws -> AccountSummary {
        var unrealized = Notional.zero, initial = Notional.zero, maintenance = Notional.zero, orders = Notional.zero
        for (key, ledger) in account.positions {
            let mark = self.mark(key.symbol) ?? ledger.entryPrice
            let notional = try (try mark.notional(of: ledger.quantity)).magnitude()
            unrealized = try unrealized + (try ledger.unrealizedPnL(at: mark))
            let leverage = account.leverage[key.symbol] ?? configuration.defaultLeverage
            initial = try initial + Notional(units: (try notional.margin(at: leverage)).units)
            maintenance = try maintenance + (try maintenanceMargin(key.symbol, notional))
        }
        for order in account.openOrders() where !order.reduceOnly {
            let leverage = account.leverage[order.symbol] ?? configuration.defaultLeverage
            let notional = try order.price.notional(of: order.remainingQuantity, rounding: .up)
            orders = try orders + Notional(units: (try notional.margin(at: leverage)).units)
        }
        let margin = try account.walletBalance + unrealized
        let available = try (try margin - initial) - orders
        return AccountSummary(walletBalance: account.walletBalance, unrealizedPnL: unrealized, marginBalance: margin, initialMargin: initial,
                              maintenanceMargin: maintenance, openOrderMargin: orders, availableBalance: max(available, .zero))
    }

    /// What new orders may still commit as margin.
    func availableBalance(_ account: SimAccount) throws -> Notional {
        try summarize(account).availableBalance
    }

    /// Cross collateral: wallet plus unrealised PnL of cross positions, less isolated wallets.
    func availableCollateral(_ account: SimAccount) throws -> Notional {
        var total = account.walletBalance
        for (key, ledger) in account.positions where account.marginType[key.symbol] != .isolated {
            total = try total + (try ledger.unrealizedPnL(at: mark(key.symbol) ?? ledger.entryPrice))
        }
        for wallet in account.isolatedWallet.values { total = try total - wallet }
        return total
    }

    /// Maintenance margin of a position notional: from the symbol's brackets, else the default rate.
    public func maintenanceMargin(_ symbol: Symbol, _ notional: Notional) throws -> Notional {
        if let bracket = maintenanceMargin { return bracket(symbol, notional) }
        return try notional.fraction(configuration.defaultMaintenanceRate, rounding: .up)
    }

    /// The mark price at which collateral + PnL meets the maintenance margin: P = (q·E − C) / (q − |q|·m).
    func liquidationPrice(_ ledger: PositionLedger, collateral: Notional, symbol: Symbol, notional: Notional) throws -> Price {
        let q = ledger.quantity.doubleValue
        guard q != 0, notional.isPositive else { return .zero }
        let rate = (try maintenanceMargin(symbol, notional)).doubleValue / notional.doubleValue
        let price = (q * ledger.entryPrice.doubleValue - collateral.doubleValue) / (q - Swift.abs(q) * rate)
        guard price.isFinite, price > 0 else { return .zero }
        return try Price(approximating: price)
    }

    // MARK: - Configuration endpoints

    /// `POST /fapi/v1/leverage`: 1…125 (or the bracket maximum); returns the maximum notional at that leverage.
    public mutating func setLeverage(_ key: String, symbol: Symbol, leverage raw: Int) throws(ExchangeError) -> (Leverage, Notional?) {
        var account = try requireAccount(key)
        guard rules[symbol] != nil else { throw ExchangeError.badSymbol }
        guard let leverage = Leverage(rawValue: raw), leverage <= maxLeverage(symbol) ?? leverage else {
            throw ExchangeError.invalidLeverage(raw)
        }
        let cap = maxNotional(symbol, leverage)
        if let cap, let ledger = account.positions[PositionKey(symbol: symbol, side: .both)] {
            let mark = self.mark(symbol) ?? ledger.entryPrice
            let notional = try Self.guarded { try (try mark.notional(of: ledger.quantity)).magnitude() }
            if notional > cap { throw ExchangeError.maxLeverageRatio }
        }
        account.leverage[symbol] = leverage
        accounts[key] = account
        return (leverage, cap)
    }

    /// `POST /fapi/v1/marginType`.
    public mutating func setMarginType(_ key: String, symbol: Symbol, _ type: MarginType) throws(ExchangeError) {
        var account = try requireAccount(key)
        guard rules[symbol] != nil else { throw ExchangeError.badSymbol }
        if (account.marginType[symbol] ?? .cross) == type { throw ExchangeError.noNeedToChangeMarginType }
        if !account.openOrders(symbol).isEmpty { throw ExchangeError.marginTypeOpenOrders }
        if account.positions.keys.contains(where: { $0.symbol == symbol }) { throw ExchangeError.marginTypeQuantity }
        account.marginType[symbol] = type
        accounts[key] = account
    }

    /// `POST /fapi/v1/positionSide/dual`: hedge mode on or off.
    public mutating func setHedgeMode(_ key: String, _ hedge: Bool) throws(ExchangeError) {
        var account = try requireAccount(key)
        if account.hedgeMode == hedge { throw ExchangeError.noNeedToChangePositionSide }
        if !account.openOrders().isEmpty || !account.openAlgoOrders().isEmpty { throw ExchangeError.positionSideChangeOpenOrders }
        if !account.positions.isEmpty { throw ExchangeError.positionSideChangeQuantity }
        account.hedgeMode = hedge
        accounts[key] = account
    }
}
