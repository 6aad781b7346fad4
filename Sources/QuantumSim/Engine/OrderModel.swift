import QuantumCore

/// A new order as submitted to `POST /fapi/v1/order` (already parsed into typed values).
public struct NewOrderRequest: Hashable, Sendable {
    public var symbol: Symbol
    public var side: OrderSide
    /// Only MARKET and LIMIT go to the order endpoint; conditional types answer -4120.
    public var type: String
    public var quantity: Quantity?
    public var price: Price?
    public var timeInForce: TimeInForce?
    public var reduceOnly: Bool?
    public var positionSide: PositionSideParameter?
    public var clientOrderID: String?

    public init(
        symbol: Symbol, side: OrderSide, type: String, quantity: Quantity? = nil, price: Price? = nil,
        timeInForce: TimeInForce? = nil, reduceOnly: Bool? = nil, positionSide: PositionSideParameter? = nil, clientOrderID: String? = nil
    ) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.timeInForce = timeInForce
        self.reduceOnly = reduceOnly
        self.positionSide = positionSide
        self.clientOrderID = clientOrderID
    }
}

/// An order on the simulated exchange, with its fills so far.
public struct SimOrder: Hashable, Sendable {
    public var orderID: Int64
    public var clientOrderID: String
    public var symbol: Symbol
    public var side: OrderSide
    public var type: OrderType
    /// Limit price; zero for market orders.
    public var price: Price
    public var originalQuantity: Quantity
    public var executedQuantity: Quantity = .zero
    /// Sum of fill price × quantity.
    public var cumulativeQuote: Notional = .zero
    public var status: OrderStatus = .new
    public var timeInForce: TimeInForce
    public var reduceOnly: Bool
    public var closePosition: Bool = false
    public var positionSide: PositionSideParameter
    public var time: EpochMillis
    public var updateTime: EpochMillis

    /// Fill-weighted average price; zero before the first fill.
    public var averagePrice: Price {
        guard executedQuantity.isPositive, let price = try? cumulativeQuote.price(per: executedQuantity) else { return .zero }
        return price
    }

    /// Quantity still to fill.
    public var remainingQuantity: Quantity {
        (try? originalQuantity - executedQuantity) ?? .zero
    }
}

/// A conditional order placed through the algo API (`POST /fapi/v1/algoOrder`).
public struct AlgoOrder: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable, CaseIterable {
        case new = "NEW"
        /// Triggered: its market order was sent.
        case triggered = "TRIGGERED"
        case finished = "FINISHED"
        case canceled = "CANCELED"
        case expired = "EXPIRED"
    }

    public var algoID: Int64
    public var clientAlgoID: String
    public var symbol: Symbol
    public var side: OrderSide
    /// STOP_MARKET or TAKE_PROFIT_MARKET.
    public var type: OrderType
    public var triggerPrice: Price
    public var workingType: WorkingType
    /// Closes the whole position when triggered (no quantity).
    public var closePosition: Bool
    public var quantity: Quantity?
    public var reduceOnly: Bool
    public var positionSide: PositionSideParameter
    public var status: Status = .new
    /// The market order it spawned when triggered.
    public var triggeredOrderID: Int64?
    public var time: EpochMillis
    public var updateTime: EpochMillis
}

/// A new conditional order as submitted to the algo endpoint.
public struct NewAlgoOrderRequest: Hashable, Sendable {
    public var symbol: Symbol
    public var side: OrderSide
    public var type: String
    public var triggerPrice: Price?
    public var workingType: WorkingType
    public var closePosition: Bool
    public var quantity: Quantity?
    public var reduceOnly: Bool?
    public var positionSide: PositionSideParameter?
    public var clientAlgoID: String?

    public init(
        symbol: Symbol, side: OrderSide, type: String, triggerPrice: Price?, workingType: WorkingType = .contractPrice,
        closePosition: Bool = false, quantity: Quantity? = nil, reduceOnly: Bool? = nil, positionSide: PositionSideParameter? = nil,
        clientAlgoID: String? = nil
    ) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.triggerPrice = triggerPrice
        self.workingType = workingType
        self.closePosition = closePosition
        self.quantity = quantity
        self.reduceOnly = reduceOnly
        self.positionSide = positionSide
        self.clientAlgoID = clientAlgoID
    }
}

/// One execution (a Binance user trade).
public struct SimTrade: Hashable, Sendable {
    public var tradeID: Int64
    public var orderID: Int64
    public var symbol: Symbol
    public var side: OrderSide
    public var price: Price
    public var quantity: Quantity
    public var quote: Notional
    public var commission: Notional
    public var realizedPnL: Notional
    public var maker: Bool
    public var positionSide: PositionSideParameter
    public var time: EpochMillis
}
