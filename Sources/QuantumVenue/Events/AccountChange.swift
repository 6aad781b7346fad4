import QuantumCore

/// An `ACCOUNT_UPDATE`: balances and the positions that changed, with the reason.
public struct AccountChange: Hashable, Sendable {
    /// One changed position (one-way mode: side `BOTH`).
    public struct Position: Hashable, Sendable {
        public var symbol: Symbol
        /// Signed quantity after the change.
        public var quantity: Quantity
        public var entryPrice: Price
        public var unrealizedPnL: Notional

        public init(symbol: Symbol, quantity: Quantity, entryPrice: Price, unrealizedPnL: Notional) {
            self.symbol = symbol
            self.quantity = quantity
            self.entryPrice = entryPrice
            self.unrealizedPnL = unrealizedPnL
        }
    }

    /// `ORDER`, `FUNDING_FEE`, `DEPOSIT`, `ADJUSTMENT`, …
    public var reason: String
    /// The USDT wallet balance after the change, when the event carries it.
    public var walletBalance: Notional?
    public var positions: [Position]
    public var time: EpochMillis

    public init(reason: String, walletBalance: Notional?, positions: [Position], time: EpochMillis) {
        self.reason = reason
        self.walletBalance = walletBalance
        self.positions = positions
        self.time = time
    }
}

extension AccountChange {
    /// Decodes the event (the whole frame, with its `a` object).
    public init(binance event: JSONValue) throws(WireDecodingError) {
        do {
            let a = try event.member("a")
            var wallet: Notional?
            for balance in try a.optionalMember("B")?.elements() ?? [] where try balance.string("a") == "USDT" {
                wallet = try balance.valuation("wb")
            }
            var positions: [Position] = []
            for row in try a.optionalMember("P")?.elements() ?? [] {
                positions.append(Position(
                    symbol: try row.symbol("s"), quantity: try row.decimal("pa"), entryPrice: try row.valuation("ep"),
                    unrealizedPnL: try row.valuation("up")))
            }
            self.init(reason: try a.string("m"), walletBalance: wallet, positions: positions, time: try event.time("T"))
        } catch {
            throw error.within("a")
        }
    }
}
