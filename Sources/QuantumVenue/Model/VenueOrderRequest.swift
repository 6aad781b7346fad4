import QuantumCore

/// A new MARKET or LIMIT order, as the executor asks for it.
///
/// The client order id is required: it is the order's identity on the exchange, derived from the
/// plan, and what makes a resend after an ambiguous outcome safe (invariant 2).
public struct VenueOrderRequest: Hashable, Sendable {
    public var symbol: Symbol
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Quantity
    /// Limit price; `nil` for MARKET.
    public var price: Price?
    /// Required for LIMIT (GTC when not given); ignored for MARKET.
    public var timeInForce: TimeInForce?
    public var reduceOnly: Bool
    public var clientOrderID: ClientOrderID

    public init(
        symbol: Symbol, side: OrderSide, type: OrderType = .market, quantity: Quantity, price: Price? = nil,
        timeInForce: TimeInForce? = nil, reduceOnly: Bool = false, clientOrderID: ClientOrderID
    ) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.price = price
        self.timeInForce = timeInForce
        self.reduceOnly = reduceOnly
        self.clientOrderID = clientOrderID
    }

    /// The rate-limit priority of this order: reduce-only orders protect, others enter.
    public var priority: RequestPriority { reduceOnly ? .protective : .entry }
}
