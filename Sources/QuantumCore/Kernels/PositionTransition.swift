/// How confirmed fills change a `PositionRecord`: pure, so the executor, reconciliation and tests agree.
///
/// The record is built only from fills (invariant 6): an opening fill sets quantity and the
/// fill-weighted entry (the order's average price, never the signal's price, FM-22); a reducing
/// fill realises PnL through `PositionLedger` and leaves the entry; a fill that reaches zero closes
/// the epoch (`nil` record). A fill that would flip the position is refused: the executor never
/// sends one, and an external one is adopted by reconciliation instead.
public enum PositionTransition {
    /// What a fill did to the position.
    public struct Outcome: Hashable, Sendable {
        /// The position after the fill; `nil` when it closed.
        public var record: PositionRecord?
        /// This fill's realised PnL before fees.
        public var realized: Notional
        /// This fill's fee.
        public var fee: Notional
        /// When the position closed: the epoch's net result (realised PnL minus all fees of the epoch).
        public var closedNet: Notional?
    }

    /// A position opened by an entry fill.
    public static func open(
        symbol: Symbol, direction: Direction, epoch: PositionEpoch, fill: Fill, leverage: Leverage,
        stopLoss: Price?, takeProfit: Price?, at now: EpochMillis
    ) throws(MoneyError) -> PositionRecord {
        var risk = Price.zero
        if let stopLoss { risk = try (try fill.price - stopLoss).magnitude() }
        if !risk.isPositive { risk = try fill.price.fraction(Ratio(units: 2_000_000), rounding: .up) }
        return PositionRecord(
            symbol: symbol, side: direction == .long ? .long : .short, quantity: fill.quantity, peakQuantity: fill.quantity,
            entryPrice: fill.price, leverage: leverage, stopLoss: stopLoss, takeProfit: takeProfit, initialRisk: risk,
            epoch: epoch, realizedPnL: .zero, fees: fill.fee, rungsTaken: [], openedAt: now, updatedAt: now)
    }

    /// Applies a fill to an open position: an increase, a reduce, or a close. A flip throws.
    public static func apply(_ fill: Fill, to record: PositionRecord, rung: Int? = nil, at now: EpochMillis) throws -> Outcome {
        let signed = record.direction == .long ? record.quantity : try record.quantity.negated()
        var ledger = PositionLedger(quantity: signed, entryPrice: record.entryPrice)
        let effect = try ledger.apply(fill)
        var next = record
        next.fees = try record.fees + fill.fee
        next.createdAt = now
        switch effect {
        case .opened, .increased:
            next.quantity = try ledger.quantity.magnitude()
            next.entryPrice = ledger.entryPrice
            next.peakQuantity = max(next.peakQuantity, next.quantity)
            return Outcome(record: next, realized: .zero, fee: fill.fee, closedNet: nil)
        case .reduced(let realized):
            next.quantity = try ledger.quantity.magnitude()
            next.realizedPnL = try record.realizedPnL + realized
            if let rung, !next.rungsTaken.contains(rung) { next.rungsTaken = (next.rungsTaken + [rung]).sorted() }
            return Outcome(record: next, realized: realized, fee: fill.fee, closedNet: nil)
        case .closed(let realized):
            let total = try record.realizedPnL + realized
            return Outcome(record: nil, realized: realized, fee: fill.fee, closedNet: try total - next.fees)
        case .flipped:
            throw FlipRefused(symbol: record.symbol, held: record.quantity, fill: fill)
        }
    }
}

/// A fill larger than the position it reduces: applying it would flip the position (FM-13).
public struct FlipRefused: Error, Hashable, Sendable, CustomStringConvertible {
    public var symbol: Symbol
    public var held: Quantity
    public var fill: Fill

    public var description: String { "a \(fill.side.rawValue) of \(fill.quantity) would flip the position of \(held) \(symbol)" }
}
