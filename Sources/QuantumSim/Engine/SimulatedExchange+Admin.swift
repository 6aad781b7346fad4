import QuantumCore

extension SimulatedExchange {
    /// An exchange "reset" like the testnet's: positions, orders and conditional orders vanish; the balance is restored.
    ///
    /// The trading system must notice through reconciliation that its positions are gone (FM-22).
    public mutating func resetAccount(_ key: String, balance: Notional, time: EpochMillis) throws(ExchangeError) {
        _ = try requireAccount(key)
        accounts[key] = SimAccount(walletBalance: balance)
    }

    /// Sets a position directly, as a manual trade in the exchange's own UI would (a close we did not send, FM-25).
    ///
    /// The change is reported on the user stream as an `ADMIN_ADJUSTMENT` account update.
    public mutating func adjustPosition(
        _ key: String, symbol: Symbol, side: PositionSideParameter = .both, quantity: Quantity, entryPrice: Price, time: EpochMillis
    ) throws(ExchangeError) {
        var account = try requireAccount(key)
        guard rules[symbol] != nil else { throw ExchangeError.badSymbol }
        let position = PositionKey(symbol: symbol, side: side)
        account.positions[position] = quantity.isZero ? nil : PositionLedger(quantity: quantity, entryPrice: entryPrice)
        account.positionUpdateTime[position] = time
        let current = account
        let snapshot: PositionSnapshot = try Self.guarded { try self.snapshot(current, position) }
        account.events.append(.accountUpdate(AccountUpdate(reason: .adminAdjustment, walletBalance: account.walletBalance, positions: [snapshot], time: time)))
        accounts[key] = account
    }
}
