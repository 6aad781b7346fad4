/// An open position as mirrored in `quantum:position:{SYMBOL}`; written only by the executor (invariant 1).
///
/// Built from confirmed fills only (invariant 6): quantity is the sum of signed fills, entry the
/// fill-weighted price.
public struct PositionRecord: BusMessage {
    public static var messageType: MessageType { .position }

    public var symbol: Symbol
    public var side: PositionSide
    /// Absolute size (base asset), positive.
    public var quantity: Quantity
    /// The largest size this epoch reached: the ladder's rungs are fractions of it.
    public var peakQuantity: Quantity
    public var entryPrice: Price
    public var leverage: Leverage
    /// The live exchange-side protective stop, if one is placed.
    public var stopLoss: Price?
    public var takeProfit: Price?
    /// Distance from entry to the initial stop: the position's 1R per unit.
    public var initialRisk: Price
    public var epoch: PositionEpoch
    public var realizedPnL: Notional
    public var fees: Notional
    /// Ladder rungs already taken this epoch (1-based), so each is taken at most once across restarts.
    public var rungsTaken: [Int]
    public var openedAt: EpochMillis
    /// When the record was adopted from the exchange: the exchange's update time of that position. Every fill at or
    /// before it is already in the quantity, so a stream event for one of them must not be applied again.
    public var reconciledThrough: EpochMillis?
    /// Last change; also the message's `ts`.
    public var createdAt: EpochMillis

    public init(
        symbol: Symbol, side: PositionSide, quantity: Quantity, peakQuantity: Quantity, entryPrice: Price, leverage: Leverage,
        stopLoss: Price?, takeProfit: Price?, initialRisk: Price, epoch: PositionEpoch, realizedPnL: Notional = .zero,
        fees: Notional = .zero, rungsTaken: [Int] = [], openedAt: EpochMillis, updatedAt: EpochMillis
    ) {
        self.symbol = symbol
        self.side = side
        self.quantity = quantity
        self.peakQuantity = peakQuantity
        self.entryPrice = entryPrice
        self.leverage = leverage
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.initialRisk = initialRisk
        self.epoch = epoch
        self.realizedPnL = realizedPnL
        self.fees = fees
        self.rungsTaken = rungsTaken
        self.openedAt = openedAt
        self.createdAt = updatedAt
    }

    public var direction: Direction { side == .long ? .long : .short }
    public var updatedAt: EpochMillis { createdAt }

    public init(reading r: FieldReader, createdAt: EpochMillis) throws(MessageDecodingError) {
        let quantity: Quantity = try r.positiveDecimal("quantity")
        let peak: Quantity = try r.positiveDecimal("peak_quantity")
        guard peak >= quantity else { throw MessageDecodingError(.invalidValue, field: "peak_quantity", "peak below current quantity") }
        let rungs = try r.string("rungs_taken")
        var taken: [Int] = []
        if rungs != "none" {
            for part in rungs.split(separator: ",", omittingEmptySubsequences: false) {
                guard let rung = Int(part), (1...16).contains(rung), !taken.contains(rung) else {
                    throw MessageDecodingError(.invalidValue, field: "rungs_taken", "'\(rungs.prefix(64))' is not a list of distinct rungs 1…16 or none")
                }
                taken.append(rung)
            }
        }
        if let updated = try r.optionalTime("updated_at"), updated != createdAt {
            throw MessageDecodingError(.invalidValue, field: "updated_at", "must equal ts")
        }
        self.init(
            symbol: try r.symbol(), side: try r.word("side"), quantity: quantity, peakQuantity: peak,
            entryPrice: try r.positiveDecimal("entry_price"), leverage: try r.leverage(),
            stopLoss: try r.optionalPositiveDecimal("stop_loss"), takeProfit: try r.optionalPositiveDecimal("take_profit"),
            initialRisk: try r.positiveDecimal("initial_risk"), epoch: try r.epoch(), realizedPnL: try r.decimal("realized_pnl"),
            fees: try r.decimal("fees"), rungsTaken: taken.sorted(), openedAt: try r.time("opened_at"), updatedAt: createdAt)
        self.reconciledThrough = try r.optionalTime("reconciled_through")
    }

    public func write(to w: inout FieldWriter) {
        w.set("symbol", symbol.rawValue)
        w.set("side", side)
        w.set("quantity", quantity)
        w.set("peak_quantity", peakQuantity)
        w.set("entry_price", entryPrice)
        w.set("leverage", Int64(leverage.rawValue))
        w.set("stop_loss", stopLoss)
        w.set("take_profit", takeProfit)
        w.set("initial_risk", initialRisk)
        w.set("epoch", Int64(epoch.rawValue))
        w.set("realized_pnl", realizedPnL)
        w.set("fees", fees)
        w.set("rungs_taken", rungsTaken.isEmpty ? "none" : rungsTaken.map(String.init).joined(separator: ","))
        w.set("opened_at", openedAt)
        w.set("reconciled_through", reconciledThrough)
        w.set("updated_at", createdAt)
    }
}
