/// A strategy's wish to open a position (`trade.intent`): `OPEN_LONG` or `OPEN_SHORT` with a stop and target.
///
/// Intents are repeatable (the signal-bot is stateless); the executor makes repeats harmless.
public struct TradeIntent: BusMessage {
    public static var messageType: MessageType { .tradeIntent }

    public var intentID: String
    public var symbol: Symbol
    public var direction: Direction
    /// 0…1.
    public var confidence: Double
    public var strategy: String
    public var source: MessageSource
    /// The price the strategy saw; sizing uses the fresh mark price, this is for audit.
    public var referencePrice: Price
    /// Suggested protective stop: below the reference price for a long, above for a short.
    public var stopLoss: Price
    /// Suggested target: above the reference price for a long, below for a short.
    public var takeProfit: Price
    public var createdAt: EpochMillis

    public init(
        intentID: String, symbol: Symbol, direction: Direction, confidence: Double, strategy: String,
        source: MessageSource = .signalBot, referencePrice: Price, stopLoss: Price, takeProfit: Price, createdAt: EpochMillis
    ) {
        self.intentID = intentID
        self.symbol = symbol
        self.direction = direction
        self.confidence = confidence
        self.strategy = strategy
        self.source = source
        self.referencePrice = referencePrice
        self.stopLoss = stopLoss
        self.takeProfit = takeProfit
        self.createdAt = createdAt
    }

    public var action: PlanAction { direction == .long ? .openLong : .openShort }

    public init(reading r: FieldReader, createdAt: EpochMillis) throws(MessageDecodingError) {
        let action: PlanAction = try r.word("action")
        guard let direction = action.openDirection else {
            throw MessageDecodingError(.invalidValue, field: "action", "a trade intent opens: OPEN_LONG or OPEN_SHORT, not \(action.rawValue)")
        }
        self.init(
            intentID: try r.string("intent_id"), symbol: try r.symbol(), direction: direction,
            confidence: try r.double("confidence", in: 0...1), strategy: try r.string("strategy"),
            source: try r.word("source"), referencePrice: try r.positiveDecimal("reference_price"),
            stopLoss: try r.positiveDecimal("stop_loss"), takeProfit: try r.positiveDecimal("take_profit"),
            createdAt: createdAt)
        try validateLevels()
        if let side = try r.optionalWord("side", as: OrderSide.self), side != direction.openingSide {
            throw MessageDecodingError(.invalidValue, field: "side", "\(action.rawValue) opens with \(direction.openingSide.rawValue)")
        }
    }

    /// Stop and target must sit on the right sides of the reference price (the original put a short's stop below, FM-19).
    func validateLevels() throws(MessageDecodingError) {
        switch direction {
        case .long:
            guard stopLoss < referencePrice else { throw MessageDecodingError(.invalidValue, field: "stop_loss", "a long's stop must be below the reference price") }
            guard takeProfit > referencePrice else { throw MessageDecodingError(.invalidValue, field: "take_profit", "a long's target must be above the reference price") }
        case .short:
            guard stopLoss > referencePrice else { throw MessageDecodingError(.invalidValue, field: "stop_loss", "a short's stop must be above the reference price") }
            guard takeProfit < referencePrice else { throw MessageDecodingError(.invalidValue, field: "take_profit", "a short's target must be below the reference price") }
        }
    }

    public func write(to w: inout FieldWriter) {
        w.set("intent_id", intentID)
        w.set("symbol", symbol.rawValue)
        w.set("action", action)
        w.set("side", direction.openingSide)
        w.set("confidence", confidence)
        w.set("strategy", strategy)
        w.set("source", source)
        w.set("reference_price", referencePrice)
        w.set("stop_loss", stopLoss)
        w.set("take_profit", takeProfit)
    }
}
