/// A wish to close, reduce, or re-protect an open position (`exit.intent`), from exit-brain, harvest or the CLI.
///
/// Its own message type (invariant 4): nothing about it can be read as an open.
public struct ExitIntent: BusMessage {
    public static var messageType: MessageType { .exitIntent }

    public var intentID: String
    public var symbol: Symbol
    public var action: ExitAction
    /// The position epoch the exit is about; a later position on the symbol is not touched by it.
    public var epoch: PositionEpoch
    public var reason: ExitReason
    public var source: MessageSource
    /// For `REDUCE`: the base quantity to take off (the executor takes min(this, live quantity)).
    public var quantity: Quantity?
    /// For a ladder `REDUCE`: the rung index (1-based), taken at most once per epoch.
    public var rung: Int?
    /// For `MOVE_STOP`: the new stop price.
    public var newStop: Price?
    /// The position's R when decided (audit).
    public var rMultiple: Double?
    /// Kill score and its raw components when the reason is the kill score (audit).
    public var killScore: KillScoreAudit?
    public var createdAt: EpochMillis

    public init(
        intentID: String, symbol: Symbol, action: ExitAction, epoch: PositionEpoch, reason: ExitReason,
        source: MessageSource, quantity: Quantity? = nil, rung: Int? = nil, newStop: Price? = nil,
        rMultiple: Double? = nil, killScore: KillScoreAudit? = nil, createdAt: EpochMillis
    ) {
        self.intentID = intentID
        self.symbol = symbol
        self.action = action
        self.epoch = epoch
        self.reason = reason
        self.source = source
        self.quantity = quantity
        self.rung = rung
        self.newStop = newStop
        self.rMultiple = rMultiple
        self.killScore = killScore
        self.createdAt = createdAt
    }

    public init(reading r: FieldReader, createdAt: EpochMillis) throws(MessageDecodingError) {
        let action: ExitAction = try r.word("action")
        var quantity: Quantity?
        var rung: Int?
        var newStop: Price?
        switch action {
        case .close:
            break
        case .reduce:
            quantity = try r.positiveDecimal("quantity")
            if let raw = try r.optionalInt("rung") {
                guard (1...16).contains(raw) else { throw MessageDecodingError(.invalidValue, field: "rung", "rung must be 1…16") }
                rung = Int(raw)
            }
        case .moveStop:
            newStop = try r.positiveDecimal("new_stop")
        }
        if let reduceOnly = r.fields["reduceOnly"], reduceOnly != "true" {
            throw MessageDecodingError(.invalidValue, field: "reduceOnly", "an exit intent is always reduceOnly=true")
        }
        self.init(
            intentID: try r.string("intent_id"), symbol: try r.symbol(), action: action, epoch: try r.epoch(),
            reason: try r.word("reason"), source: try r.word("source"), quantity: quantity, rung: rung,
            newStop: newStop, rMultiple: try r.optionalDouble("r"), killScore: try KillScoreAudit(reading: r),
            createdAt: createdAt)
    }

    public func write(to w: inout FieldWriter) {
        w.set("intent_id", intentID)
        w.set("symbol", symbol.rawValue)
        w.set("action", action)
        w.set("epoch", Int64(epoch.rawValue))
        w.set("reason", reason)
        w.set("source", source)
        w.set("reduceOnly", true)
        w.set("quantity", quantity)
        w.set("rung", rung.map(Int64.init))
        w.set("new_stop", newStop)
        w.set("r", rMultiple)
        killScore?.write(to: &w)
    }
}

/// The kill score and its raw components as carried on exit intents and plans (field names of the original).
public struct KillScoreAudit: Hashable, Sendable {
    public var score: Double
    public var regimeFlip: Double
    public var sigmaSpike: Double
    public var trendStrengthDrop: Double
    public var agePenalty: Double

    public init(score: Double, regimeFlip: Double, sigmaSpike: Double, trendStrengthDrop: Double, agePenalty: Double) {
        self.score = score
        self.regimeFlip = regimeFlip
        self.sigmaSpike = sigmaSpike
        self.trendStrengthDrop = trendStrengthDrop
        self.agePenalty = agePenalty
    }

    /// Reads the audit if `kill_score` is present; then every component is required.
    init?(reading r: FieldReader) throws(MessageDecodingError) {
        guard let score = try r.optionalDouble("kill_score", in: 0...1) else { return nil }
        self.init(
            score: score, regimeFlip: try r.double("k_regime_flip", in: 0...1), sigmaSpike: try r.double("k_sigma_spike", in: 0...1_000),
            trendStrengthDrop: try r.double("k_ts_drop", in: 0...1_000), agePenalty: try r.double("k_age_penalty", in: 0...1))
    }

    func write(to w: inout FieldWriter) {
        w.set("kill_score", score)
        w.set("k_regime_flip", regimeFlip)
        w.set("k_sigma_spike", sigmaSpike)
        w.set("k_ts_drop", trendStrengthDrop)
        w.set("k_age_penalty", agePenalty)
    }
}
