/// The faults a soak injects, each drawn from the seed at its own moments.
public enum SoakFault: String, CaseIterable, Hashable, Sendable, Comparable {
    case replyLostAfterExecution = "reply_lost_after_execution"
    case lateExecution = "late_execution"
    case unknownAfterExecution = "unknown_after_execution"
    case serverErrorBeforeExecution = "server_error_before_execution"
    case garbledReply = "garbled_reply"
    case rateLimitStorm = "rate_limit_storm"
    case ban = "ban"
    case clockSkew = "clock_skew"
    case latencySpike = "latency_spike"
    case streamDrop = "stream_drop"
    case userEventsLost = "user_events_lost"
    case userEventsDuplicated = "user_events_duplicated"
    case userEventsReordered = "user_events_reordered"
    case userEventsDelayed = "user_events_delayed"
    case partialFill = "partial_fill"
    case liquidation = "liquidation"
    case marketRepliesNew = "market_replies_new"
    case marginRefusal = "margin_refusal"
    case manualTrade = "manual_trade"
    case processCrash = "process_crash"
    case crashAtOrderStep = "crash_at_order_step"
    case serviceCrash = "service_crash"
    case storeWriteFailure = "store_write_failure"
    case killSwitch = "kill_switch"

    public static func < (lhs: SoakFault, rhs: SoakFault) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Faults that make the venue refuse or stall requests for a while: an exit that runs late inside one is the
    /// venue's doing, not the system's.
    public var stallsTheVenue: Bool {
        switch self {
        case .rateLimitStorm, .ban, .latencySpike, .serverErrorBeforeExecution, .storeWriteFailure, .processCrash, .serviceCrash: true
        default: false
        }
    }
}

/// What a soak checks on every step, against the exchange's own records.
public enum SoakInvariant: String, CaseIterable, Hashable, Sendable, Comparable {
    /// Two fills for one client order id.
    case duplicateOrder = "duplicate_order"
    /// An open filled while its symbol already held a position.
    case stackedPosition = "stacked_position"
    /// A position without its protective stop for longer than the limit (the exchange's own audit).
    case unprotectedBeyondPeriod = "unprotected_beyond_period"
    /// An exit plan's result later than its deadline, outside any venue stall.
    case exitDeadlineMiss = "exit_deadline_miss"
    /// The store's position and the exchange's disagreeing for longer than a reconcile period.
    case positionDrift = "position_drift"
    /// A plan with no result once the system has settled.
    case lostMessage = "lost_message"
    /// A plan with more than one result (other than DUPLICATE answers to repeats).
    case planWithoutOneResult = "plan_without_one_result"
    /// An open sent while the kill switch was on.
    case openedWhileHalted = "opened_while_halted"
    /// An exit refused by a guard that may only gate opens.
    case exitBlockedByGuard = "exit_blocked_by_guard"

    public static func < (lhs: SoakInvariant, rhs: SoakInvariant) -> Bool { lhs.rawValue < rhs.rawValue }
}
