/// The decisive reason of a result that was not executed, or of a risk-guard refusal (FM-44).
///
/// A closed set: each case has one canonical word; a venue rejection carries Binance's code
/// (`venue_rejected:-2019`).
public enum DecisionReason: Error, Hashable, Sendable, CustomStringConvertible {
    // Executor outcomes
    case duplicatePlan
    case planExpired
    case noPosition
    case positionAlreadyExists
    case openInFlight
    case wouldFlipPosition
    case quantityBelowStep
    case invalidPlan
    case venueRejected(code: Int)
    case venueUnavailable
    /// The plan was made for a position epoch that is no longer current (an open for an epoch already opened).
    case staleEpoch
    /// The venue ended the order without any fill (expired, cancelled).
    case orderNotFilled
    /// The intent was older than the bridge accepts when it was read (a stale backlog, FM-06).
    case intentStale
    /// A stop move that would not tighten the protective stop (stops never loosen).
    case stopNotTighter
    // Risk guard (opens only)
    case killSwitch
    case symbolHalted
    case notInAllowlist
    case equityStale
    case marketStateStale
    case dailyLossLimit
    case drawdownLimit
    case consecutiveLosses
    case maxPositions
    case maxNotionalPerTrade
    case maxTotalNotional
    case insufficientMargin
    case leverageBracket
    case belowMinNotional
    case orderRateLimited
    case churnBreaker
    /// A position has no live exchange-side stop: no new risk until it is protected again (invariant 5).
    case unprotectedPosition
    /// A service of the exit path (executor, exit-brain, harvest, protection monitor) is not healthy: no new risk.
    case exitPathUnhealthy
    /// The venue refused several opens for margin (-2019) in a short window: opens pause for a while (FM-26).
    case marginRefusalPause

    private static let words: [(DecisionReason, String)] = [
        (.duplicatePlan, "duplicate_plan"), (.planExpired, "plan_expired"), (.noPosition, "no_position"),
        (.positionAlreadyExists, "position_already_exists"), (.openInFlight, "open_in_flight"),
        (.wouldFlipPosition, "would_flip_position"), (.quantityBelowStep, "quantity_below_step"),
        (.invalidPlan, "invalid_plan"), (.venueUnavailable, "venue_unavailable"),
        (.staleEpoch, "stale_epoch"), (.orderNotFilled, "order_not_filled"), (.intentStale, "intent_stale"),
        (.killSwitch, "kill_switch"), (.symbolHalted, "symbol_halted"), (.notInAllowlist, "not_in_allowlist"),
        (.equityStale, "equity_stale"), (.marketStateStale, "market_state_stale"),
        (.dailyLossLimit, "daily_loss_limit"), (.drawdownLimit, "drawdown_limit"),
        (.consecutiveLosses, "consecutive_losses"), (.maxPositions, "max_positions"),
        (.maxNotionalPerTrade, "max_notional_per_trade"), (.maxTotalNotional, "max_total_notional"),
        (.insufficientMargin, "insufficient_margin"), (.leverageBracket, "leverage_bracket"),
        (.belowMinNotional, "below_min_notional"), (.orderRateLimited, "order_rate_limited"),
        (.churnBreaker, "churn_breaker"), (.stopNotTighter, "stop_not_tighter"), (.unprotectedPosition, "unprotected_position"),
        (.exitPathUnhealthy, "exit_path_unhealthy"), (.marginRefusalPause, "margin_refusal_pause"),
    ]

    /// The canonical word (`equity_stale`, `venue_rejected:-2019`).
    public var word: String {
        if case .venueRejected(let code) = self { return "venue_rejected:\(code)" }
        return Self.words.first { $0.0 == self }!.1
    }

    /// Parses a canonical word; `nil` for anything else.
    public init?(word: String) {
        if word.hasPrefix("venue_rejected:"), let code = Int(word.dropFirst("venue_rejected:".count)), code < 0 {
            self = .venueRejected(code: code)
            return
        }
        guard let match = Self.words.first(where: { $0.1 == word }) else { return nil }
        self = match.0
    }

    /// Every reason without a parameter, plus one venue rejection (for tests and docs).
    public static var representativeCases: [DecisionReason] { words.map(\.0) + [.venueRejected(code: -2019)] }

    public var description: String { word }
}
