/// The account figures the risk guard needs, with their windows explicit (invariant 12, FM-38).
///
/// Equity comes from the live account only; the day's starting equity is keyed by the UTC day, so
/// the daily-loss window rolls over by construction; peak equity and the deepest drawdown are
/// carried across restarts (stored by the executor); consecutive losses count closed epochs whose
/// net result was negative and reset on a win.
public struct AccountWindows: Hashable, Sendable {
    public var equity: Notional = .zero
    public var availableMargin: Margin = .zero
    /// When the account was last read; `nil`: never (no opens).
    public var asOf: EpochMillis?
    public var peakEquity: Notional = .zero
    /// UTC day number (ms ÷ 86 400 000) `dayStartEquity` belongs to.
    public var day: Int64 = -1
    public var dayStartEquity: Notional = .zero
    /// Losing closes in a row, an instant's closes counted losses first.
    public var lossStreak = LossStreak()
    /// The streak's count; setting it forgets the instants it counted.
    public var consecutiveLosses: Int {
        get { lossStreak.count }
        set { lossStreak = LossStreak(count: newValue) }
    }
    /// Deepest fall from a peak seen so far, as a fraction of that peak.
    public var maxDrawdown = 0.0

    public init() {}

    /// A fresh read of the account at `now`.
    public mutating func observe(equity: Notional, available: Margin, at now: EpochMillis) {
        self.equity = equity
        availableMargin = available
        asOf = now
        let today = now.rawValue / 86_400_000
        if today != day {
            day = today
            dayStartEquity = equity
        }
        if equity > peakEquity { peakEquity = equity }
        if peakEquity.isPositive {
            let drawdown = Double(peakEquity.units - equity.units) / Double(peakEquity.units)
            maxDrawdown = max(maxDrawdown, drawdown)
        }
    }

    /// A position epoch closed at `time` with this net result (realised PnL minus fees); `true` when this close made the
    /// streak reach `pauseAfter` losses, which starts a timed pause of opens and starts the count again.
    @discardableResult
    public mutating func recordClose(net: Notional, at time: EpochMillis, pauseAfter: Int) -> Bool {
        lossStreak.record(loss: net.isNegative, at: time, pauseAfter: pauseAfter)
    }

    /// The risk guard's view; `nil` before the first read.
    public var riskAccount: RiskGuard.Account? {
        guard let asOf else { return nil }
        let pnlToday = (try? equity - dayStartEquity) ?? .zero
        return RiskGuard.Account(equity: equity, availableMargin: availableMargin, asOf: asOf, peakEquity: peakEquity,
                                 dayStartEquity: dayStartEquity, pnlToday: pnlToday, consecutiveLosses: consecutiveLosses)
    }

    /// The flat fields stored under `quantum:account`.
    public var fields: [String: String] {
        var w = FieldWriter()
        w.set("equity", equity)
        w.set("available_margin", availableMargin)
        w.set("as_of", asOf)
        w.set("peak_equity", peakEquity)
        w.set("day", day)
        w.set("day_start_equity", dayStartEquity)
        w.set("consecutive_losses", Int64(consecutiveLosses))
        if let instant = lossStreak.instant {
            w.set("loss_streak_at", instant)
            w.set("loss_streak_base", Int64(lossStreak.base))
            w.set("loss_streak_losses", Int64(lossStreak.losses))
            w.set("loss_streak_won", lossStreak.won)
        }
        w.set("max_drawdown", maxDrawdown)
        return w.fields
    }

    /// Reads stored fields; missing or malformed fields keep their defaults (the next read of the account refreshes them).
    public init(fields: [String: String]) {
        let r = FieldReader(fields)
        if let v = try? r.decimal("equity", as: Notional.self) { equity = v }
        if let v = try? r.decimal("available_margin", as: Margin.self) { availableMargin = v }
        asOf = try? r.time("as_of")
        if let v = try? r.decimal("peak_equity", as: Notional.self) { peakEquity = v }
        if let v = try? r.int("day") { day = v }
        if let v = try? r.decimal("day_start_equity", as: Notional.self) { dayStartEquity = v }
        if let v = try? r.int("consecutive_losses"), v >= 0 {
            lossStreak = LossStreak(count: Int(v), instant: try? r.time("loss_streak_at"),
                                    base: (try? r.int("loss_streak_base")).map(Int.init) ?? -1,
                                    losses: (try? r.int("loss_streak_losses")).map(Int.init) ?? -1,
                                    won: (try? r.bool("loss_streak_won")) ?? false)
        }
        if let v = try? r.double("max_drawdown", in: 0...1) { maxDrawdown = v }
    }
}
