import QuantumCore

/// The exchange's own record of how long an account's positions were without a protective stop.
///
/// Independent of the trading system's view: after every order, conditional order and price change,
/// the engine asks whether each position has a live `closePosition` stop on its closing side and
/// measures the stretches (in exchange time) when it did not. Tests and run summaries read it to
/// show invariant 5 held, not just that the system believes it did.
public struct ProtectionAudit: Hashable, Sendable {
    /// Symbols unprotected right now, and since when.
    public private(set) var unprotectedSince: [Symbol: EpochMillis] = [:]
    /// Sum of ended stretches.
    public private(set) var totalMillis: Int64 = 0
    /// The longest ended stretch.
    public private(set) var longestMillis: Int64 = 0
    /// Stretches ended so far (a position that was protected at once counts none).
    public private(set) var stretches = 0

    public init() {}

    /// Records whether `symbol`'s position is protected (or flat) at `time`.
    mutating func observe(_ symbol: Symbol, protected: Bool, at time: EpochMillis) {
        if protected {
            guard let since = unprotectedSince.removeValue(forKey: symbol) else { return }
            let stretch = max(0, time.rawValue - since.rawValue)
            totalMillis += stretch
            longestMillis = max(longestMillis, stretch)
            stretches += 1
        } else if unprotectedSince[symbol] == nil {
            unprotectedSince[symbol] = time
        }
    }

    /// The longest stretch including those still open at `now`.
    public func longest(at now: EpochMillis) -> Int64 {
        unprotectedSince.values.reduce(longestMillis) { max($0, now.rawValue - $1.rawValue) }
    }

    /// The total including stretches still open at `now`.
    public func total(at now: EpochMillis) -> Int64 {
        unprotectedSince.values.reduce(totalMillis) { $0 + max(0, now.rawValue - $1.rawValue) }
    }
}

extension SimulatedExchange {
    /// Updates the audit of `symbol`'s positions on account `key` (every position side of the symbol).
    mutating func auditProtection(account key: String, symbol: Symbol, time: EpochMillis) {
        // Judged on a read, then observed in place: a copy written back retained and released the whole account on
        // every tick.
        guard let protected = accounts[key].map({ Self.isProtected($0, symbol) }) else { return }
        accounts[key]?.protection.observe(symbol, protected: protected, at: time)
    }

    /// Whether every open position of `symbol` in `account` has a live close-position stop on its closing side.
    static func isProtected(_ account: SimAccount, _ symbol: Symbol) -> Bool {
        var protected = true
        for (position, ledger) in account.positions where position.symbol == symbol && !ledger.quantity.isZero {
            let closing: OrderSide = ledger.quantity.isPositive ? .sell : .buy
            let covered = account.openAlgoOrders(symbol).contains { $0.closePosition && $0.side == closing && $0.positionSide == position.side }
            if !covered { protected = false }
        }
        return protected
    }

    /// The protection audit of an account (`nil` for an unknown key).
    public func protectionAudit(_ key: String) -> ProtectionAudit? { accounts[key]?.protection }
}
