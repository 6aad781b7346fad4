/// Losing closes in a row, counted the same whatever order closes at one instant are recorded in: an instant's losses
/// count first, then its wins.
///
/// Why: closes at one instant (two positions closed on one bar) reach the executor in the order its tasks happened to
/// run. Counted in arrival order, a win and a loss on one bar paused opens in one run and not in the next. Losses first
/// is the cautious order: the losses of an instant alone can start the pause, which a win beside them cannot undo.
public struct LossStreak: Hashable, Sendable {
    /// Losing closes in a row; starts again from 0 when it starts a pause.
    public private(set) var count = 0
    /// The instant of the latest closes recorded, the streak before them, their losses, and whether one of them won.
    public private(set) var instant: EpochMillis?
    public private(set) var base = 0
    public private(set) var losses = 0
    public private(set) var won = false

    /// A streak of `count` losses, its instants forgotten.
    public init(count: Int = 0) {
        self.count = max(0, count)
    }

    /// A stored streak; a field missing or out of range leaves the instant forgotten.
    public init(count: Int, instant: EpochMillis?, base: Int, losses: Int, won: Bool) {
        self.init(count: count)
        guard let instant, base >= 0, losses >= 0 else { return }
        self.instant = instant
        self.base = base
        self.losses = losses
        self.won = won
    }

    /// Records a close at `time` (a close recorded late, before the latest instant, joins that instant); `true` when
    /// it starts a pause: its instant's losses, counted first, brought the streak to a multiple of `pauseAfter`.
    public mutating func record(loss: Bool, at time: EpochMillis, pauseAfter: Int) -> Bool {
        if instant.map({ time > $0 }) ?? true {
            instant = time
            base = count
            losses = 0
            won = false
        }
        var starts = false
        if loss {
            losses += 1
            starts = pauseAfter > 0 && (base + losses) % pauseAfter == 0
        } else {
            won = true
        }
        count = won ? 0 : pauseAfter > 0 ? (base + losses) % pauseAfter : base + losses
        return starts
    }
}
