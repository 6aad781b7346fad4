import QuantumCore
import Synchronization

/// How far each market-driven service has processed the market, per symbol: the close time of the
/// last bar it has fully handled.
///
/// Market-state advances its mark when a closed bar is applied, signal-bot when it has evaluated the
/// bar, exit-brain and harvest when they have judged the open positions after it. A paced replay
/// (`MarketPacer`) reads them to know when the system has caught up with the bars the exchange has
/// closed; nothing else depends on them. Only the stages of services that run here are waited for.
public final class MarketWatermarks: Sendable {
    /// The services that report.
    public enum Stage: Hashable, Sendable, CaseIterable {
        case marketState
        case signals
        case exits
        case harvest
    }

    private let marks = Mutex<[Stage: [Symbol: EpochMillis]]>([:])
    private let expected = Mutex<Set<Stage>>([])

    public init() {}

    /// `stage`'s service runs here and reports: a bar is handled only once it has reached `stage` too.
    public func expect(_ stage: Stage) {
        expected.withLock { _ = $0.insert(stage) }
    }

    /// `stage` has handled `symbol`'s bar closing at `close` (and every earlier one).
    public func advance(_ stage: Stage, _ symbol: Symbol, to close: EpochMillis) {
        marks.withLock { marks in
            let current = marks[stage]?[symbol]
            if current.map({ $0 < close }) ?? true { marks[stage, default: [:]][symbol] = close }
        }
    }

    /// Whether every expected stage has handled every bar of `closed` (symbol → close time), and a figure that changes
    /// whenever any mark of those symbols moves; under one lock, so a check over hundreds of symbols costs one acquisition.
    public func standing(_ closed: [Symbol: EpochMillis]) -> (reached: Bool, progress: Int) {
        let stages = expected.withLock { $0 }
        return marks.withLock { marks in
            var reached = true
            var progress = 0
            for stage in Stage.allCases where stages.contains(stage) {
                let table = marks[stage]
                for (symbol, close) in closed {
                    let mark = table?[symbol]
                    reached = reached && (mark.map { $0 >= close } ?? false)
                    // A stage working through a backlog of older bars is moving too.
                    progress = progress &+ Int(truncatingIfNeeded: mark?.rawValue ?? 0)
                }
            }
            return (reached, progress)
        }
    }
}
