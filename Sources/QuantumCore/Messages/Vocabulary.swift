/// The action words of intents, plans and results — the original system's words, one closed set (FM-33).
public enum PlanAction: String, Hashable, Sendable, CaseIterable {
    case openLong = "OPEN_LONG"
    case openShort = "OPEN_SHORT"
    /// Ladder rung 1 (first 25 % of the peak size by default).
    case partial25 = "PARTIAL_25"
    case partial50 = "PARTIAL_50"
    case partial75 = "PARTIAL_75"
    /// A reduce of a requested quantity that is not a ladder rung (manual `quantum close --pct`).
    case reduce = "REDUCE"
    case fullClose = "FULL_CLOSE_PROPOSED"
    case moveStop = "MOVE_STOP"

    /// Opens are the only actions that add risk; everything else is an exit and is never gated by entry rules.
    public var isOpen: Bool { self == .openLong || self == .openShort }
    /// Whether orders for this action are reduce-only by type (invariant 4).
    public var isReduceOnly: Bool { !isOpen }

    /// The opening direction, for opens.
    public var openDirection: Direction? {
        switch self {
        case .openLong: .long
        case .openShort: .short
        default: nil
        }
    }

    /// The ladder action for a rung index (1-based), if the rung has a named action.
    public static func rung(_ index: Int) -> PlanAction {
        switch index {
        case 1: .partial25
        case 2: .partial50
        case 3: .partial75
        default: .reduce
        }
    }
}

/// What kind of exit an exit intent asks for.
public enum ExitAction: String, Hashable, Sendable, CaseIterable {
    /// Close the whole position.
    case close = "CLOSE"
    /// Reduce by a quantity (a ladder rung or a manual partial close).
    case reduce = "REDUCE"
    /// Move the exchange-side protective stop (profit lock or trailing); only ever tightens.
    case moveStop = "MOVE_STOP"
}

/// Why an exit was proposed.
public enum ExitReason: String, Hashable, Sendable, CaseIterable {
    case killScore = "kill_score"
    case stopLoss = "stop_loss"
    case takeProfit = "take_profit"
    case timeLimit = "time_limit"
    case emergency = "emergency_stop"
    case ladderRung = "ladder_rung"
    case profitLock = "profit_lock"
    case trailingStop = "trailing_stop"
    /// The strategy signalled the other way (a bar-based strategy's exit on an opposite cross).
    case signalReversal = "signal_reversal"
    case manual
    case reconcile
}

/// Who produced an intent or plan.
public enum MessageSource: String, Hashable, Sendable, CaseIterable {
    case signalBot = "signal-bot"
    case exitBrain = "exit-brain"
    case harvest
    case intentBridge = "intent-bridge"
    case applyLayer = "apply-layer"
    case manual = "cli"
    case reconcile
}

/// The terminal outcome of a plan (invariant 10): exactly one per plan.
public enum ResultDecision: String, Hashable, Sendable, CaseIterable {
    case executed = "EXECUTED"
    case skipped = "SKIPPED"
    case rejected = "REJECTED"
    case expired = "EXPIRED"
    case duplicate = "DUPLICATE"
}

/// How an executed plan was carried out (the original's step types).
public enum ExecutionStep: String, Hashable, Sendable, CaseIterable {
    case marketOpen = "market_open"
    case marketReduceOnly = "market_reduce_only"
    case stopMoved = "stop_moved"
}

/// A position's direction as stored, or flat.
public enum PositionSide: String, Hashable, Sendable, CaseIterable {
    case long = "LONG"
    case short = "SHORT"
}

/// The long-running services, by the names used in heartbeats, logs and metrics.
public enum ServiceName: String, Hashable, Sendable, CaseIterable {
    case marketState = "market-state"
    case signalBot = "signal-bot"
    case exitBrain = "exit-brain"
    case harvest
    case intentBridge = "intent-bridge"
    case applyLayer = "apply-layer"
    case protectionMonitor = "protection-monitor"
    case healthMonitor = "health-monitor"
    case exchange
    case ops
}

/// A service's own view of its state in a heartbeat.
public enum ServiceStatus: String, Hashable, Sendable, CaseIterable {
    case starting
    case running
    case degraded
    case stopping
}
