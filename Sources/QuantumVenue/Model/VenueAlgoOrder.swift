import QuantumCore

/// A conditional order as the algo endpoints and `ALGO_UPDATE` report it.
public struct VenueAlgoOrder: Hashable, Sendable {
    /// Binance's algo statuses.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        case new = "NEW"
        case triggering = "TRIGGERING"
        case triggered = "TRIGGERED"
        case finished = "FINISHED"
        case canceled = "CANCELED"
        case rejected = "REJECTED"
        case expired = "EXPIRED"

        /// Whether the order still waits for its trigger (and so still protects the position).
        public var isLive: Bool { self == .new }
        /// Whether the trigger was hit: the order it spawned is being (or has been) executed.
        public var hasFired: Bool { self == .triggering || self == .triggered || self == .finished }
    }

    public var algoID: Int64
    public var clientAlgoID: String
    public var symbol: Symbol
    public var side: OrderSide
    /// `STOP_MARKET`, `TAKE_PROFIT_MARKET`, …
    public var typeName: String
    public var status: Status
    public var triggerPrice: Price
    public var closePosition: Bool
    public var quantity: Quantity
    /// The order it spawned when triggered.
    public var actualOrderID: Int64?
    public var updateTime: EpochMillis

    public init(
        algoID: Int64, clientAlgoID: String, symbol: Symbol, side: OrderSide, typeName: String, status: Status, triggerPrice: Price,
        closePosition: Bool, quantity: Quantity, actualOrderID: Int64?, updateTime: EpochMillis
    ) {
        self.algoID = algoID
        self.clientAlgoID = clientAlgoID
        self.symbol = symbol
        self.side = side
        self.typeName = typeName
        self.status = status
        self.triggerPrice = triggerPrice
        self.closePosition = closePosition
        self.quantity = quantity
        self.actualOrderID = actualOrderID
        self.updateTime = updateTime
    }
}

extension VenueAlgoOrder {
    /// Decodes the algo object of `POST/GET/DELETE /fapi/v1/algoOrder` and the algo lists.
    ///
    /// Some replies name the type `type` instead of `orderType`; both are accepted.
    public init(binance json: JSONValue) throws(WireDecodingError) {
        self.init(
            algoID: try json.integer("algoId"),
            clientAlgoID: try json.string("clientAlgoId"),
            symbol: try json.symbol("symbol"),
            side: try json.enumeration("side"),
            typeName: try json.firstString("orderType", "type"),
            status: try json.enumeration("algoStatus"),
            triggerPrice: try json.decimal("triggerPrice"),
            closePosition: try json.boolean("closePosition", default: false),
            quantity: try json.optionalDecimal("quantity") ?? .zero,
            actualOrderID: try json.optionalInteger("actualOrderId"),
            updateTime: EpochMillis(try json.firstInteger("updateTime", "createTime") ?? 0))
    }
}
