/// The one terminal result of a plan (`apply.result`), with the decisive reason when not executed.
public struct ApplyResult: BusMessage {
    public static var messageType: MessageType { .result }

    public var planID: String
    public var symbol: Symbol
    public var action: PlanAction
    public var decision: ResultDecision
    /// Required unless executed: the decisive reason, not the first audit entry (FM-44).
    public var reason: DecisionReason?
    /// For executed plans: what was done.
    public var execution: Execution?
    public var createdAt: EpochMillis

    /// The exchange side of an executed plan.
    public struct Execution: Hashable, Sendable {
        public var step: ExecutionStep
        public var clientOrderID: ClientOrderID
        /// The exchange's order id (absent for a stop move that placed an algo order).
        public var orderID: Int64?
        public var filledQuantity: Quantity
        /// Fill-weighted average price (zero for a stop move).
        public var averagePrice: Price
        public var epoch: PositionEpoch

        public init(step: ExecutionStep, clientOrderID: ClientOrderID, orderID: Int64?, filledQuantity: Quantity, averagePrice: Price, epoch: PositionEpoch) {
            self.step = step
            self.clientOrderID = clientOrderID
            self.orderID = orderID
            self.filledQuantity = filledQuantity
            self.averagePrice = averagePrice
            self.epoch = epoch
        }
    }

    /// An executed result.
    public init(planID: String, symbol: Symbol, action: PlanAction, execution: Execution, createdAt: EpochMillis) {
        self.planID = planID
        self.symbol = symbol
        self.action = action
        self.decision = .executed
        self.reason = nil
        self.execution = execution
        self.createdAt = createdAt
    }

    /// A result that did not execute, with its decisive reason. `decision` must not be `.executed`.
    public init(planID: String, symbol: Symbol, action: PlanAction, decision: ResultDecision, reason: DecisionReason, createdAt: EpochMillis) {
        precondition(decision != .executed, "an executed result carries an execution")
        self.planID = planID
        self.symbol = symbol
        self.action = action
        self.decision = decision
        self.reason = reason
        self.execution = nil
        self.createdAt = createdAt
    }

    public var executed: Bool { decision == .executed }

    public init(reading r: FieldReader, createdAt: EpochMillis) throws(MessageDecodingError) {
        let planID = try r.string("plan_id")
        let symbol = try r.symbol()
        let action: PlanAction = try r.word("action")
        let decision: ResultDecision = try r.word("decision")
        let executed = try r.bool("executed")
        guard executed == (decision == .executed) else {
            throw MessageDecodingError(.invalidValue, field: "executed", "executed=\(executed) contradicts decision \(decision.rawValue)")
        }
        let reduceOnly = try r.bool("reduceOnly")
        guard reduceOnly == action.isReduceOnly else {
            throw MessageDecodingError(.invalidValue, field: "reduceOnly", "\(action.rawValue) requires reduceOnly=\(action.isReduceOnly)")
        }
        if executed {
            guard r.fields["error"] == nil else { throw MessageDecodingError(.invalidValue, field: "error", "an executed result has no error") }
            let step: ExecutionStep = try r.word("step")
            let expected: ExecutionStep = action.isOpen ? .marketOpen : (action == .moveStop ? .stopMoved : .marketReduceOnly)
            guard step == expected else { throw MessageDecodingError(.invalidValue, field: "step", "\(action.rawValue) executes as \(expected.rawValue)") }
            let execution = Execution(
                step: step,
                clientOrderID: try r.parsed("client_order_id", "a Binance client order id") { ClientOrderID(rawValue: $0) },
                orderID: try r.optionalInt("order_id"), filledQuantity: try r.decimal("filled_qty"),
                averagePrice: try r.decimal("avg_price"), epoch: try r.epoch())
            self.init(planID: planID, symbol: symbol, action: action, execution: execution, createdAt: createdAt)
        } else {
            let reason = try r.parsed("error", "a decision reason") { DecisionReason(word: $0) }
            self.init(planID: planID, symbol: symbol, action: action, decision: decision, reason: reason, createdAt: createdAt)
        }
    }

    public func write(to w: inout FieldWriter) {
        w.set("plan_id", planID)
        w.set("symbol", symbol.rawValue)
        w.set("action", action)
        w.set("decision", decision)
        w.set("executed", executed)
        w.set("reduceOnly", action.isReduceOnly)
        w.set("error", reason?.word)
        if let execution {
            w.set("step", execution.step)
            w.set("client_order_id", execution.clientOrderID.rawValue)
            w.set("order_id", execution.orderID)
            w.set("filled_qty", execution.filledQuantity)
            w.set("avg_price", execution.averagePrice)
            w.set("epoch", Int64(execution.epoch.rawValue))
        }
    }
}
