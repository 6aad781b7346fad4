import Synchronization

/// How long the system took to catch up with each closed bar of a paced run: from the moment the exchange closed
/// the bars of a minute to the moment market-state had applied them, signal-bot had evaluated them and every intent
/// and plan they caused was handled, for all symbols. A run reports its percentiles; `quantum bench symbols` reads
/// them to show how the per-bar work grows with the symbol count.
///
/// Counted from the first bar the system caught up with: the bars before it closed while the start-up backfill was
/// still running (rate-limited by the venue's request weight, about 20 s a minute for 300 symbols), which measures
/// the venue's limits, not the per-bar work. They are counted apart as warm-up bars.
public final class BarWork: Sendable {
    private struct State {
        var nanoseconds: [Int64] = []
        var gaveUp = 0
        var warmUp = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// One barrier: how long it waited, and whether it stopped waiting before the system caught up.
    public func record(_ duration: Duration, caughtUp: Bool) {
        let (seconds, attoseconds) = duration.components
        state.withLock { state in
            if state.nanoseconds.isEmpty, !caughtUp { return state.warmUp += 1 }
            state.nanoseconds.append(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
            if !caughtUp { state.gaveUp += 1 }
        }
    }

    /// The bars measured so far, with percentiles in milliseconds; nil before the first.
    public var figures: BarWorkFigures? {
        state.withLock { state in
            guard !state.nanoseconds.isEmpty else { return state.warmUp > 0 ? BarWorkFigures(bars: 0, p50: 0, p99: 0, max: 0, gaveUp: 0, warmUp: state.warmUp) : nil }
            let sorted = state.nanoseconds.sorted()
            func at(_ p: Double) -> Double {
                let index = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
                return Double(sorted[index]) / 1_000_000
            }
            return BarWorkFigures(bars: sorted.count, p50: at(50), p99: at(99), max: at(100), gaveUp: state.gaveUp, warmUp: state.warmUp)
        }
    }
}

/// Per-bar work of a paced run, in milliseconds of real time.
public struct BarWorkFigures: Hashable, Sendable {
    public var bars: Int
    public var p50: Double
    public var p99: Double
    public var max: Double
    /// Barriers that stopped waiting (the system did not catch up within the pacer's limits).
    public var gaveUp: Int
    /// Bars before the first the system caught up with (not in the figures).
    public var warmUp: Int
}
