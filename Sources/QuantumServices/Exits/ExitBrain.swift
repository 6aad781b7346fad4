import QuantumCore

/// The exit-brain's verdict on one open position: close it now, or hold (seed-system §3.5, DESIGN §3).
///
/// Pure, so every rule is testable without a bus: the service reads the position, the mark and the
/// market state and passes the time in. Rules run in order of urgency — emergency R, the recorded
/// stop, the target, the time limit, then the kill score — and the first that fires decides. The
/// kill score needs a market state; without one there is no kill-score verdict, never a made-up one
/// (invariant 7), while the price rules still protect the position.
public struct ExitBrain: Sendable {
    /// The rules and their thresholds.
    public struct Configuration: Hashable, Sendable {
        public var killScore = KillScore.Configuration()
        /// Close at once when R falls to this or below (the autonomous trader's emergency stop); `nil` turns the rule off.
        public var emergencyR: Double? = -1.5
        /// Close a position held this long; `nil` turns the rule off.
        public var maxHoldTime: Duration? = .seconds(86_400)
        /// Close when the price reaches the position's take-profit.
        public var useTargetRule = true
        /// Which price the target rule judges: every mark, or only each closed bar's close.
        public var targetJudgement = TargetJudgement.mark
        /// Close when the kill score says the trade is dead.
        public var useKillScore = true
        /// Close when the mark is at or through the recorded stop: a backstop to the exchange-side stop.
        public var useStopRule = true
        /// Round-trip cost per unit of entry price, deducted in R.
        public var costRate: Ratio = .zero
        /// A market state (price or regime) older than this is not used (invariant 7).
        public var marketStateMaxAge: Duration = .seconds(180)

        public init() {}

        /// Problems with the configuration, empty if it is usable.
        public func validate() -> [String] {
            var problems = killScore.validate()
            if let emergencyR, !(emergencyR.isFinite && emergencyR < 0) { problems.append("exit emergency_r must be a finite negative R") }
            if let maxHoldTime, maxHoldTime <= .zero { problems.append("exit max_hold_time must be positive (or off)") }
            if costRate.isNegative || costRate.units >= Ratio.one { problems.append("exit cost_rate must be in [0, 1)") }
            if marketStateMaxAge <= .zero { problems.append("exit market_state_max_age must be positive") }
            return problems
        }
    }

    /// The price a take-profit is judged against.
    public enum TargetJudgement: String, Hashable, Sendable, CaseIterable {
        /// The mark, whenever the position is judged: the target closes as soon as the market reaches it.
        case mark
        /// A closed bar's close, judged once at each bar: as a bar-based strategy and its backtest define a target.
        case barClose = "bar_close"
    }

    /// What was measured, whatever the verdict: the audit trail of a decision.
    public struct Assessment: Hashable, Sendable {
        /// The position's R at the mark; `nil` when its initial risk is not positive.
        public var r: Double?
        /// The kill score, when a market state was given.
        public var kill: KillScore.Evaluation?
        /// Every rule that fired, the decisive one first (`emergency_r`, `stop_hit`, `target_hit`,
        /// `time_limit`, then the kill score's codes); empty when holding.
        public var reasons: [String]

        public init(r: Double?, kill: KillScore.Evaluation?, reasons: [String]) {
            self.r = r
            self.kill = kill
            self.reasons = reasons
        }
    }

    /// Close (with the decisive reason) or hold.
    public enum Decision: Hashable, Sendable {
        case hold(Assessment)
        case close(reason: ExitReason, Assessment)

        public var assessment: Assessment {
            switch self {
            case .hold(let a), .close(_, let a): a
            }
        }

        /// The decisive reason of a close; `nil` when holding.
        public var closeReason: ExitReason? {
            if case .close(let reason, _) = self { return reason }
            return nil
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The verdict on `position` at `mark`, with the market `state` if one is fresh, at time `now`; `barClose` is the close of
    /// the symbol's bar that just closed, when a closed bar is what woke the judgement.
    public func decide(position: PositionRecord, mark: Price, state: MarketState?, now: EpochMillis, barClose: Price? = nil) -> Decision {
        let c = configuration
        let direction = position.direction
        let r = RMultiple.compute(direction: direction, entry: position.entryPrice, mark: mark, riskPerUnit: position.initialRisk,
                                  costRate: c.costRate)
        let age = max(now.duration(since: position.openedAt), .zero)
        let kill = c.useKillScore ? state.map { KillScore(configuration: c.killScore).evaluate(state: $0, age: age) } : nil

        var fired: [(reason: ExitReason, codes: [String])] = []
        if let r, let limit = c.emergencyR, r <= limit { fired.append((.emergency, ["emergency_r"])) }
        if c.useStopRule, let stop = position.stopLoss, Self.isAtOrBeyond(mark, stop, favourable: false, direction) {
            fired.append((.stopLoss, ["stop_hit"]))
        }
        let targetPrice = c.targetJudgement == .mark ? mark : barClose
        if c.useTargetRule, let target = position.takeProfit, let targetPrice, Self.isAtOrBeyond(targetPrice, target, favourable: true, direction) {
            fired.append((.takeProfit, ["target_hit"]))
        }
        if let limit = c.maxHoldTime, age >= limit { fired.append((.timeLimit, ["time_limit"])) }
        if let kill, kill.shouldClose { fired.append((.killScore, kill.reasonCodes)) }

        let assessment = Assessment(r: r, kill: kill, reasons: fired.flatMap(\.codes))
        guard let decisive = fired.first else { return .hold(assessment) }
        return .close(reason: decisive.reason, assessment)
    }

    /// Whether `mark` has reached `level` on the favourable side (a target) or the adverse side (a stop).
    static func isAtOrBeyond(_ mark: Price, _ level: Price, favourable: Bool, _ direction: Direction) -> Bool {
        let upward = (direction == .long) == favourable
        return upward ? mark >= level : mark <= level
    }
}
