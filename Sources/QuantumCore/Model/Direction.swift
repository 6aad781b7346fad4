/// The direction of a position: long profits when the price rises, short when it falls.
public enum Direction: String, Hashable, Sendable, CaseIterable {
    case long = "LONG"
    case short = "SHORT"

    /// +1 for long, −1 for short.
    public var sign: Int64 { self == .long ? 1 : -1 }

    /// The order side that opens (or adds to) a position of this direction.
    public var openingSide: OrderSide { self == .long ? .buy : .sell }

    /// The order side that reduces or closes a position of this direction.
    public var closingSide: OrderSide { self == .long ? .sell : .buy }

    public var opposite: Direction { self == .long ? .short : .long }
}

/// An order side as Binance names it.
public enum OrderSide: String, Hashable, Sendable, CaseIterable {
    case buy = "BUY"
    case sell = "SELL"

    public var opposite: OrderSide { self == .buy ? .sell : .buy }
}
