import QuantumCore

/// A source of market ticks in time order: CSV replay, a synthetic process, later a live capture.
///
/// Pure: no clock and no I/O in `next()`. The caller paces time — a backtest drains the feed as
/// fast as it can, the paper exchange waits until each tick's `time` on its own clock.
public protocol MarketFeed {
    /// The next tick, never earlier than the previous one; `nil` when the feed is exhausted.
    mutating func next() -> MarketTick?
    /// The time of the next tick without taking it; `nil` when the feed is exhausted.
    var nextTime: EpochMillis? { get }
}
