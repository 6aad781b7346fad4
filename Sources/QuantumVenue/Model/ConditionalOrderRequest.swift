import QuantumCore

/// A conditional (algo) order: the exchange-side protective stop or a take-profit.
///
/// `closePosition` orders carry no quantity and close whatever position exists when they fire, so
/// the stop stays right however the position was reduced in the meantime (invariant 5).
public struct ConditionalOrderRequest: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case stopMarket = "STOP_MARKET"
        case takeProfitMarket = "TAKE_PROFIT_MARKET"
    }

    public var symbol: Symbol
    public var side: OrderSide
    public var kind: Kind
    public var triggerPrice: Price
    public var workingType: WorkingType
    /// Close the whole position when triggered (then `quantity` is `nil`).
    public var closePosition: Bool
    public var quantity: Quantity?
    public var clientAlgoID: ClientOrderID

    public init(
        symbol: Symbol, side: OrderSide, kind: Kind = .stopMarket, triggerPrice: Price, workingType: WorkingType = .markPrice,
        closePosition: Bool = true, quantity: Quantity? = nil, clientAlgoID: ClientOrderID
    ) {
        self.symbol = symbol
        self.side = side
        self.kind = kind
        self.triggerPrice = triggerPrice
        self.workingType = workingType
        self.closePosition = closePosition
        self.quantity = quantity
        self.clientAlgoID = clientAlgoID
    }

    /// A protective stop that closes the whole position of `direction` at `triggerPrice` on mark price.
    public static func protectiveStop(
        symbol: Symbol, direction: Direction, triggerPrice: Price, clientAlgoID: ClientOrderID
    ) -> ConditionalOrderRequest {
        ConditionalOrderRequest(symbol: symbol, side: direction.closingSide, triggerPrice: triggerPrice, clientAlgoID: clientAlgoID)
    }
}
