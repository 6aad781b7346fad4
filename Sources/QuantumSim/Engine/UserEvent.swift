import QuantumCore

/// An event of the user data stream, in the order the exchange produced it.
public enum UserEvent: Hashable, Sendable {
    /// `ORDER_TRADE_UPDATE`: an order changed (new, trade, canceled, expired).
    case orderUpdate(OrderUpdate)
    /// `ACCOUNT_UPDATE`: balances or positions changed, with the reason.
    case accountUpdate(AccountUpdate)
    /// `ALGO_UPDATE`: a conditional order changed.
    case algoUpdate(AlgoOrder, time: EpochMillis)

    public var time: EpochMillis {
        switch self {
        case .orderUpdate(let u): u.time
        case .accountUpdate(let u): u.time
        case .algoUpdate(_, let time): time
        }
    }
}

/// The payload of `ORDER_TRADE_UPDATE`.
public struct OrderUpdate: Hashable, Sendable {
    /// NEW, TRADE, CANCELED, EXPIRED, CALCULATED (liquidation) — Binance's execution types.
    public enum ExecutionType: String, Hashable, Sendable {
        case new = "NEW"
        case trade = "TRADE"
        case canceled = "CANCELED"
        case expired = "EXPIRED"
        case calculated = "CALCULATED"
        /// A resting order's price or quantity changed (`PUT /fapi/v1/order`).
        case amendment = "AMENDMENT"
    }

    public var order: SimOrder
    public var executionType: ExecutionType
    /// The fill of a TRADE update.
    public var trade: SimTrade?
    public var time: EpochMillis
}

/// The payload of `ACCOUNT_UPDATE`.
public struct AccountUpdate: Hashable, Sendable {
    /// Why the account changed (Binance's `m` field).
    public enum Reason: String, Hashable, Sendable {
        case order = "ORDER"
        case fundingFee = "FUNDING_FEE"
        case marginTypeChange = "MARGIN_TYPE_CHANGE"
        case adminAdjustment = "ADMIN_ADJUSTMENT"
        case autoExchange = "AUTO_EXCHANGE"
    }

    public var reason: Reason
    public var walletBalance: Notional
    /// Positions that changed, with their new state.
    public var positions: [PositionSnapshot]
    public var time: EpochMillis
}

/// A position as Binance reports it (positionRisk, ACCOUNT_UPDATE).
public struct PositionSnapshot: Hashable, Sendable {
    public var symbol: Symbol
    public var positionSide: PositionSideParameter
    /// Signed: positive long, negative short.
    public var quantity: Quantity
    public var entryPrice: Price
    public var markPrice: Price
    public var unrealizedPnL: Notional
    public var notional: Notional
    public var leverage: Leverage
    public var marginType: MarginType
    public var isolatedWallet: Notional
    public var liquidationPrice: Price
    public var updateTime: EpochMillis
}
