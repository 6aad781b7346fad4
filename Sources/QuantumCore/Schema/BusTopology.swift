/// The stream names of the bus: the original system's names, so its `redis-cli` habits keep working.
///
/// Each stream has one producer type and is read through consumer groups (invariant 1: `apply.plan`
/// has exactly one group, the executor's).
public enum StreamName {
    public static let tradeIntent = "quantum:stream:trade.intent"
    /// Exits from exit-brain, harvest and the CLI: their own stream and type, never read as opens (FM-12).
    public static let exitIntent = "quantum:stream:exit.intent"
    public static let plan = "quantum:stream:apply.plan"
    public static let result = "quantum:stream:apply.result"
    /// Closed bars with the market state computed at them.
    public static let marketState = "quantum:stream:marketstate"
    public static let heartbeat = "quantum:stream:heartbeat"
    /// Intents the bridge refused (allowlist, stale price, sizing), with the reason: an audit trail.
    public static let intentRejected = "quantum:stream:intent.rejected"
    /// Reconciliation events: drift, adopted positions, closes we did not send.
    public static let reconcile = "quantum:stream:reconcile.event"
    /// Supervisor events: every restart of a service, with its error.
    public static let serviceEvent = "quantum:stream:service.event"
}

/// The order path's streams and the consumer groups that must see every entry of them: an intent or a plan appended
/// before its consumer's group exists would be skipped by a group created later at the tail, and never handled.
/// Producers create these groups (idempotently) before their first append; the paced replay waits on them.
public enum OrderPathGroups {
    public static let all: [(stream: String, group: String)] = [
        (StreamName.tradeIntent, GroupName.intentBridge),
        (StreamName.exitIntent, GroupName.intentBridge),
        (StreamName.plan, GroupName.applyLayer),
    ]

    /// The groups that must see every entry of `stream` (none for a stream off the order path).
    public static func groups(of stream: String) -> [String] {
        all.filter { $0.stream == stream }.map(\.group)
    }
}

/// Consumer group names: one per consuming service.
public enum GroupName {
    public static let applyLayer = "apply-layer"
    public static let intentBridge = "intent-bridge"
    public static let signalBot = "signal-bot"
    public static let exitBrain = "exit-brain"
    public static let harvest = "harvest"
    public static let healthMonitor = "health-monitor"
}

/// State keys, each with exactly one owner and one type (invariant 1, FM-08, FM-14).
public enum StateKey {
    /// Hash, owner apply-layer: the position mirror (`PositionRecord` fields).
    public static func position(_ symbol: Symbol) -> String { "quantum:position:\(symbol.rawValue)" }
    public static let positionPrefix = "quantum:position:"
    /// String counter, owner apply-layer: the last position epoch opened on a symbol.
    public static func epoch(_ symbol: Symbol) -> String { "quantum:epoch:\(symbol.rawValue)" }
    /// String counter, owner apply-layer: attempts at the open of an epoch that ended having sent nothing fillable.
    public static func openAttempt(_ symbol: Symbol, _ epoch: PositionEpoch) -> String { "quantum:apply:attempt:\(symbol.rawValue):e\(epoch)" }
    /// String counter, owner apply-layer: attempts at an exit decision (`close:BTCUSDT:e3`, `rung:…`, `stop:…`) that ended
    /// having filled nothing, or a close that left part of the position; the bridge names the next attempt after it.
    public static func exitAttempt(_ decisionID: String) -> String { "quantum:apply:attempt:\(decisionID)" }
    /// Hash, owner apply-layer: `orderId:tradeId` → when applied, for every external trade applied to the symbol's open
    /// position (a user-stream trade delivered twice is applied once).
    public static func appliedFills(_ symbol: Symbol) -> String { "quantum:apply:fills:\(symbol.rawValue)" }
    /// Hash, owner apply-layer: the write-ahead journal entry of a plan.
    public static func journal(_ planID: String) -> String { "quantum:apply:journal:\(planID)" }
    /// Hash, owner apply-layer: plan id → symbol for every journal entry not yet terminal.
    public static let inFlight = "quantum:apply:inflight"
    /// Hash, owner apply-layer: the account as last read from the venue, with its risk windows.
    public static let account = "quantum:account"
    /// Hash, owner market-state: the latest state and price of a symbol.
    public static func marketState(_ symbol: Symbol) -> String { "quantum:marketstate:\(symbol.rawValue)" }
    /// Hash, owner operator (`quantum halt` / `quantum resume`): the one kill switch (FM-43).
    public static let killSwitch = "quantum:guard:kill_switch"
    /// Hash, set by apply-layer (drift), deleted by the operator (`quantum resume --symbol`): opens halted on a symbol.
    public static func symbolHalt(_ symbol: Symbol) -> String { "quantum:guard:symbol_halt:\(symbol.rawValue)" }
    public static let symbolHaltPrefix = "quantum:guard:symbol_halt:"
    /// Hash, owner apply-layer (protection monitor): symbol → since (ms) for every position without a live protective stop.
    /// While it is not empty no open is allowed anywhere (invariant 5).
    public static let unprotected = "quantum:guard:unprotected"
    /// Hash, owner health-monitor: service → its verdict (`up`, `stale`, `dead`, `missing`) with the last beat and restarts.
    public static let health = "quantum:health"
    /// Hash, owner health-monitor: exit-path services that are not healthy → why. While not empty, no open anywhere.
    public static let exitPathHalt = "quantum:guard:exit_path"
    /// Hash, owner apply-layer: timed pauses of every open, cause (`consecutive_losses`, `margin_refusals`) → when it
    /// lifts (ms). An entry in the past is a pause that has lifted.
    public static let openPauses = "quantum:guard:open_pause"
    /// Hash, owner apply-layer: symbol → when its churn pause lifts (ms), for every symbol the churn breaker pauses.
    public static let churnPauses = "quantum:guard:churn_pause"
    /// String counters, owner apply-layer: executor totals (see `ExecutorStat`).
    public static func stat(_ stat: ExecutorStat) -> String { "quantum:apply:stats:\(stat.rawValue)" }
    /// String counters, owner apply-layer: executed exits by reason (`ExitReason` words, and `protective_stop`,
    /// `liquidation`, `adl`, `manual` for closes the exchange or a person made).
    public static func exitsByReason(_ reason: String) -> String { exitsByReasonPrefix + reason }
    public static let exitsByReasonPrefix = "quantum:apply:stats:exits:"
}

/// The executor's running totals, kept as counters in the state store (money in 10⁻⁸ units).
public enum ExecutorStat: String, Hashable, Sendable, CaseIterable {
    /// Order requests sent to the venue (resends after proven absence included).
    case ordersSent = "orders_sent"
    /// Orders that filled (fully or partly).
    case fills
    /// Plans answered `DUPLICATE`: an order the exchange never saw twice.
    case duplicatesPrevented = "duplicates_prevented"
    /// Realised PnL of every fill, before fees, in 10⁻⁸ USDT.
    case realizedPnLUnits = "realized_pnl_units"
    /// Fees of every fill, in 10⁻⁸ USDT.
    case feeUnits = "fee_units"
    /// Exit plans that filled (closes and reduces), plus closes the exchange made (stop, liquidation, ADL).
    case exitsExecuted = "exits_executed"
    /// Exit plans whose terminal result came later than the exit deadline.
    case exitDeadlineMisses = "exit_deadline_misses"
    /// Milliseconds positions were seen without a live protective stop, summed over positions.
    case unprotectedMillis = "unprotected_position_ms"
    /// Exit decisions tried again under a new attempt after an attempt that filled nothing (or not all).
    case exitRetries = "exit_retries"
    /// Protective stops placed (after entries, moves and repairs).
    case stopsPlaced = "stops_placed"
    /// Protective stops the monitor found missing and placed again.
    case stopsRepaired = "stops_repaired"
    /// Positions whose first ladder rung was taken.
    case winnersScaled = "winners_scaled"
    /// Positions closed at a loss by exit-brain (kill score, emergency, time limit) before their stop.
    case losersCut = "losers_cut"
    /// Positions closed (their last fill), with `rCapturedMicros` the sum of their R in 10⁻⁶.
    case positionsClosed = "positions_closed"
    case rCapturedMicros = "r_captured_micros"
}
