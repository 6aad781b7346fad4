/// An executable plan (`apply.plan`): what the one executor should do, with its identity and expiry.
///
/// Produced by the intent-bridge from an intent; consumed by exactly one executor (invariant 1).
public struct Plan: BusMessage {
    public static var messageType: MessageType { .plan }

    /// Derived from business identity (invariant 2); see `PlanIdentity`.
    public var planID: String
    /// The Binance `newClientOrderId` derived from `planID`.
    public var clientOrderID: ClientOrderID
    public var symbol: Symbol
    public var epoch: PositionEpoch
    public var order: PlanOrder
    public var source: MessageSource
    /// The intent this plan came from.
    public var intentID: String
    /// After this the plan ends `EXPIRED` without touching the exchange.
    public var expiresAt: EpochMillis
    public var createdAt: EpochMillis

    public init(
        planID: String, clientOrderID: ClientOrderID, symbol: Symbol, epoch: PositionEpoch, order: PlanOrder,
        source: MessageSource, intentID: String, expiresAt: EpochMillis, createdAt: EpochMillis
    ) {
        self.planID = planID
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.epoch = epoch
        self.order = order
        self.source = source
        self.intentID = intentID
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }

    public var action: PlanAction { order.action }
    public var isReduceOnly: Bool { order.action.isReduceOnly }
    /// Why an exit was planned; `nil` for an open.
    public var exitReason: ExitReason? { order.exitReason }

    public init(reading r: FieldReader, createdAt: EpochMillis) throws(MessageDecodingError) {
        let action: PlanAction = try r.word("action")
        let reduceOnly = try r.bool("reduceOnly")
        guard reduceOnly == action.isReduceOnly else {
            throw MessageDecodingError(.invalidValue, field: "reduceOnly", "\(action.rawValue) requires reduceOnly=\(action.isReduceOnly)")
        }
        let order = try PlanOrder(reading: r, action: action)
        let expiresAt = try r.time("expires_at")
        guard expiresAt > createdAt else { throw MessageDecodingError(.invalidValue, field: "expires_at", "must be after ts") }
        self.init(
            planID: try r.string("plan_id"),
            clientOrderID: try r.parsed("client_order_id", "a Binance client order id") { ClientOrderID(rawValue: $0) },
            symbol: try r.symbol(), epoch: try r.epoch(), order: order, source: try r.word("source"),
            intentID: try r.string("intent_id"), expiresAt: expiresAt, createdAt: createdAt)
    }

    public func write(to w: inout FieldWriter) {
        w.set("plan_id", planID)
        w.set("client_order_id", clientOrderID.rawValue)
        w.set("symbol", symbol.rawValue)
        w.set("epoch", Int64(epoch.rawValue))
        w.set("action", action)
        w.set("reduceOnly", isReduceOnly)
        w.set("source", source)
        w.set("intent_id", intentID)
        w.set("expires_at", expiresAt)
        order.write(to: &w)
    }
}

/// What a plan does on the exchange, by kind.
public enum PlanOrder: Hashable, Sendable {
    /// A market order that opens a position, sized with explicit units.
    case open(OpenOrder)
    /// A reduce-only market order of at most `quantity` on the position of `position` direction.
    case reduce(position: Direction, quantity: Quantity, rung: Int?, reason: ExitReason, killScore: KillScoreAudit?)
    /// A reduce-only market order for the whole live position.
    case close(position: Direction, reason: ExitReason, killScore: KillScoreAudit?)
    /// Replace the exchange-side protective stop (never loosening).
    case moveStop(position: Direction, newStop: Price, reason: ExitReason)

    public var action: PlanAction {
        switch self {
        case .open(let order): order.direction == .long ? .openLong : .openShort
        case .reduce(_, _, let rung, _, _): rung.map(PlanAction.rung) ?? .reduce
        case .close: .fullClose
        case .moveStop: .moveStop
        }
    }

    /// Why an exit was planned; `nil` for an open.
    public var exitReason: ExitReason? {
        switch self {
        case .open: nil
        case .reduce(_, _, _, let reason, _), .close(_, let reason, _), .moveStop(_, _, let reason): reason
        }
    }

    /// The order side sent to the exchange.
    public var side: OrderSide {
        switch self {
        case .open(let order): order.direction.openingSide
        case .reduce(let position, _, _, _, _), .close(let position, _, _), .moveStop(let position, _, _): position.closingSide
        }
    }

    init(reading r: FieldReader, action: PlanAction) throws(MessageDecodingError) {
        if let direction = action.openDirection {
            try Self.checkOrderType(r)
            self = .open(try OpenOrder(reading: r, direction: direction))
            return
        }
        let position: PositionSide = try r.word("position_side")
        let direction: Direction = position == .long ? .long : .short
        let side: OrderSide = try r.word("side")
        guard side == direction.closingSide else {
            throw MessageDecodingError(.invalidValue, field: "side", "an exit of a \(position.rawValue) position must be \(direction.closingSide.rawValue)")
        }
        let reason: ExitReason = try r.word("reason")
        try Self.checkOrderType(r)
        switch action {
        case .partial25, .partial50, .partial75, .reduce:
            var rung: Int?
            if action != .reduce {
                let raw = try r.int("rung")
                guard PlanAction.rung(Int(raw)) == action else {
                    throw MessageDecodingError(.invalidValue, field: "rung", "rung \(raw) does not match \(action.rawValue)")
                }
                rung = Int(raw)
            }
            self = .reduce(position: direction, quantity: try r.positiveDecimal("quantity"), rung: rung, reason: reason,
                           killScore: try KillScoreAudit(reading: r))
        case .fullClose:
            self = .close(position: direction, reason: reason, killScore: try KillScoreAudit(reading: r))
        case .moveStop:
            self = .moveStop(position: direction, newStop: try r.positiveDecimal("new_stop"), reason: reason)
        case .openLong, .openShort:
            preconditionFailure("handled above")
        }
    }

    static func checkOrderType(_ r: FieldReader) throws(MessageDecodingError) {
        if let type = r.fields["order_type"], type != "MARKET" {
            throw MessageDecodingError(.invalidValue, field: "order_type", "plans execute as MARKET orders, not '\(type.prefix(32))'")
        }
    }

    func write(to w: inout FieldWriter) {
        w.set("side", side)
        w.set("order_type", "MARKET")
        switch self {
        case .open(let order):
            order.write(to: &w)
        case .reduce(let position, let quantity, let rung, let reason, let killScore):
            w.set("position_side", position == .long ? PositionSide.long : .short)
            w.set("quantity", quantity)
            w.set("rung", rung.map(Int64.init))
            w.set("reason", reason)
            killScore?.write(to: &w)
        case .close(let position, let reason, let killScore):
            w.set("position_side", position == .long ? PositionSide.long : .short)
            w.set("reason", reason)
            killScore?.write(to: &w)
        case .moveStop(let position, let newStop, let reason):
            w.set("position_side", position == .long ? PositionSide.long : .short)
            w.set("new_stop", newStop)
            w.set("reason", reason)
        }
    }
}

/// The sized open of a plan: quantity, and what it costs in explicit units (FM-37).
public struct OpenOrder: Hashable, Sendable {
    public var direction: Direction
    public var quantity: Quantity
    /// The price the size was computed at.
    public var referencePrice: Price
    /// quantity × reference price.
    public var notional: Notional
    /// notional ÷ leverage.
    public var margin: Margin
    public var leverage: Leverage
    /// The protective stop placed on the exchange right after the fill.
    public var stopLoss: Price
    public var takeProfit: Price
    public var strategy: String

    public init(
        direction: Direction, quantity: Quantity, referencePrice: Price, notional: Notional, margin: Margin,
        leverage: Leverage, stopLoss: Price, takeProfit: Price, strategy: String
    ) {
        self.direction = direction
        self.quantity = quantity
        self.referencePrice = referencePrice
        self.notional = notional
        self.margin = margin
        self.leverage = leverage
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.strategy = strategy
    }

    init(reading r: FieldReader, direction: Direction) throws(MessageDecodingError) {
        let side: OrderSide = try r.word("side")
        guard side == direction.openingSide else {
            throw MessageDecodingError(.invalidValue, field: "side", "an open \(direction.rawValue) must be \(direction.openingSide.rawValue)")
        }
        self.init(
            direction: direction, quantity: try r.positiveDecimal("quantity"), referencePrice: try r.positiveDecimal("reference_price"),
            notional: try r.positiveDecimal("notional"), margin: try r.positiveDecimal("margin"), leverage: try r.leverage(),
            stopLoss: try r.positiveDecimal("stop_loss"), takeProfit: try r.positiveDecimal("take_profit"), strategy: try r.string("strategy"))
        let stopOK = direction == .long ? stopLoss < referencePrice : stopLoss > referencePrice
        guard stopOK else { throw MessageDecodingError(.invalidValue, field: "stop_loss", "stop is on the wrong side of the reference price") }
    }

    func write(to w: inout FieldWriter) {
        w.set("quantity", quantity)
        w.set("reference_price", referencePrice)
        w.set("notional", notional)
        w.set("margin", margin)
        w.set("leverage", Int64(leverage.rawValue))
        w.set("stop_loss", stopLoss)
        w.set("take_profit", takeProfit)
        w.set("strategy", strategy)
    }
}
