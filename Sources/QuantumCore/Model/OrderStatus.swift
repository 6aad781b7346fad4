/// Binance's order statuses.
public enum OrderStatus: String, Hashable, Sendable, CaseIterable {
    case new = "NEW"
    case partiallyFilled = "PARTIALLY_FILLED"
    case filled = "FILLED"
    case canceled = "CANCELED"
    case expired = "EXPIRED"
    /// Refused by the matching engine after acceptance (rare on futures).
    case rejected = "REJECTED"
    /// Expired by self-trade prevention.
    case expiredInMatch = "EXPIRED_IN_MATCH"

    /// Whether the order can still fill.
    public var isOpen: Bool { self == .new || self == .partiallyFilled }

    /// Whether the order reached a final state.
    public var isFinal: Bool { !isOpen }
}
