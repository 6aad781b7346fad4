import QuantumCore

/// The account's USDT totals (`GET /fapi/v2/account` or `/fapi/v3/account`): what equity and margin checks read.
public struct VenueAccount: Hashable, Sendable {
    public var walletBalance: Notional
    public var unrealizedPnL: Notional
    /// Wallet balance + unrealized PnL: the equity.
    public var marginBalance: Notional
    public var availableBalance: Notional
    public var initialMargin: Notional
    public var maintenanceMargin: Notional
    /// `false` when the venue says the account may not trade (v2 only; v3 omits it, read as `true`).
    public var canTrade: Bool

    public init(
        walletBalance: Notional, unrealizedPnL: Notional, marginBalance: Notional, availableBalance: Notional, initialMargin: Notional,
        maintenanceMargin: Notional, canTrade: Bool
    ) {
        self.walletBalance = walletBalance
        self.unrealizedPnL = unrealizedPnL
        self.marginBalance = marginBalance
        self.availableBalance = availableBalance
        self.initialMargin = initialMargin
        self.maintenanceMargin = maintenanceMargin
        self.canTrade = canTrade
    }
}

extension VenueAccount {
    /// Decodes the account document's totals.
    public init(binance json: JSONValue) throws(WireDecodingError) {
        self.init(
            walletBalance: try json.valuation("totalWalletBalance"),
            unrealizedPnL: try json.valuation("totalUnrealizedProfit"),
            marginBalance: try json.valuation("totalMarginBalance"),
            availableBalance: try json.valuation("availableBalance"),
            initialMargin: try json.valuation("totalInitialMargin"),
            maintenanceMargin: try json.valuation("totalMaintMargin"),
            canTrade: try json.boolean("canTrade", default: true))
    }
}
