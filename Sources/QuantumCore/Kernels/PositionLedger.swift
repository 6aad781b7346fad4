/// A confirmed fill: the only thing that changes a position (invariant 6).
public struct Fill: Hashable, Sendable {
    public var side: OrderSide
    /// Filled base quantity, positive.
    public var quantity: Quantity
    public var price: Price
    /// Commission charged for this fill (positive is a cost).
    public var fee: Notional

    public init(side: OrderSide, quantity: Quantity, price: Price, fee: Notional = .zero) {
        self.side = side
        self.quantity = quantity
        self.price = price
        self.fee = fee
    }
}

/// A position built from fills: signed quantity, fill-weighted entry price, realised PnL and fees.
///
/// One kernel for the exchange simulator's account model and the executor's mirror, so both agree
/// by construction. Entry price is the quantity-weighted average of the fills that opened or added
/// to the position (rounded to 10⁻⁸); a reducing fill realises `closed × (price − entry) × sign`
/// and leaves the entry unchanged; a fill larger than the position closes it and opens the rest
/// the other way at the fill price (a flip — the executor never sends one, the exchange allows it).
public struct PositionLedger: Hashable, Sendable {
    /// Signed size: positive long, negative short, zero flat.
    public private(set) var quantity: Quantity = .zero
    /// Average entry of the open size; zero when flat.
    public private(set) var entryPrice: Price = .zero
    /// PnL realised by reducing fills, before fees.
    public private(set) var realizedPnL: Notional = .zero
    /// Fees of every fill.
    public private(set) var fees: Notional = .zero

    public init() {}

    /// A ledger already holding a position (adopted from the exchange by reconciliation).
    public init(quantity: Quantity, entryPrice: Price, realizedPnL: Notional = .zero, fees: Notional = .zero) {
        self.quantity = quantity
        self.entryPrice = quantity.isZero ? .zero : entryPrice
        self.realizedPnL = realizedPnL
        self.fees = fees
    }

    /// The direction held, `nil` when flat.
    public var direction: Direction? {
        quantity.isPositive ? .long : (quantity.isNegative ? .short : nil)
    }

    /// What a fill did.
    public enum Effect: Hashable, Sendable {
        case opened
        case increased
        /// Part of the position closed; `realized` is this fill's PnL before fees.
        case reduced(realized: Notional)
        case closed(realized: Notional)
        /// Closed and reopened the other way with the excess.
        case flipped(realized: Notional)
    }

    /// Applies a fill and says what it did; on error the ledger is unchanged.
    @discardableResult
    public mutating func apply(_ fill: Fill) throws(MoneyError) -> Effect {
        guard fill.quantity.isPositive, fill.price.isPositive else {
            throw MoneyError(.malformedDecimal, "a fill needs a positive quantity and price, got \(fill.quantity) @ \(fill.price)")
        }
        var next = self
        next.fees = try fees + fill.fee
        let signed = fill.side == .buy ? fill.quantity : try fill.quantity.negated()
        let effect: Effect
        if quantity.isZero || (quantity.isPositive == signed.isPositive) {
            let held = try quantity.magnitude()
            let heldValue = try entryPrice.notional(of: held, rounding: .towardZero)
            let addedValue = try fill.price.notional(of: fill.quantity, rounding: .towardZero)
            let total = try held + fill.quantity
            next.quantity = try quantity + signed
            next.entryPrice = try (try heldValue + addedValue).price(per: total)
            effect = quantity.isZero ? .opened : .increased
        } else {
            let held = try quantity.magnitude()
            let closing = min(held, fill.quantity)
            let sign: Int64 = quantity.isPositive ? 1 : -1
            let move = try (try fill.price - entryPrice) * sign
            let realized = try move.notional(of: closing, rounding: .towardZero)
            next.realizedPnL = try realizedPnL + Notional(units: realized.units)
            next.quantity = try quantity + signed
            if next.quantity.isZero {
                next.entryPrice = .zero
                effect = .closed(realized: Notional(units: realized.units))
            } else if next.quantity.isPositive == quantity.isPositive {
                effect = .reduced(realized: Notional(units: realized.units))
            } else {
                next.entryPrice = fill.price
                effect = .flipped(realized: Notional(units: realized.units))
            }
        }
        self = next
        return effect
    }

    /// Unrealised PnL at a mark price: `quantity × (mark − entry)` (signed quantity carries the direction).
    public func unrealizedPnL(at mark: Price) throws(MoneyError) -> Notional {
        guard !quantity.isZero else { return .zero }
        let move = try mark - entryPrice
        let value = try move.notional(of: quantity, rounding: .towardZero)
        return Notional(units: value.units)
    }
}
