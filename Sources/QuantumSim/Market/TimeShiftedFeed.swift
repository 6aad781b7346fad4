import QuantumCore

/// A feed whose ticks are moved in time by a fixed offset: a recorded day replayed as if it were today.
///
/// Prices, order and spacing are unchanged; only the timestamps move, so a paper exchange that
/// replays 2025 data still answers with times near the clients' own clocks.
public struct TimeShiftedFeed<Base: MarketFeed & Sendable>: MarketFeed, Sendable {
    public private(set) var base: Base
    /// Added to every tick's time.
    public let offset: Int64

    public init(_ base: Base, offset: Int64) {
        self.base = base
        self.offset = offset
    }

    /// A feed shifted so its first tick is at `start`.
    public init(_ base: Base, startingAt start: EpochMillis) {
        self.init(base, offset: base.nextTime.map { start.rawValue - $0.rawValue } ?? 0)
    }

    public var nextTime: EpochMillis? { base.nextTime.map { EpochMillis($0.rawValue + offset) } }

    public mutating func next() -> MarketTick? {
        guard var tick = base.next() else { return nil }
        tick.time = EpochMillis(tick.time.rawValue + offset)
        return tick
    }
}
