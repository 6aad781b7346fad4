/// A point in wall-clock time: milliseconds since the Unix epoch, UTC (Binance's convention).
public struct EpochMillis: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: Int64

    public init(rawValue: Int64) { self.rawValue = rawValue }
    public init(_ value: Int64) { self.rawValue = value }

    public static func < (lhs: EpochMillis, rhs: EpochMillis) -> Bool { lhs.rawValue < rhs.rawValue }

    /// This instant moved forward by `duration` (negative durations move it back).
    public func advanced(by duration: Duration) -> EpochMillis {
        EpochMillis(rawValue &+ duration.wholeMilliseconds)
    }

    /// The time from `earlier` to this instant.
    public func duration(since earlier: EpochMillis) -> Duration {
        .milliseconds(rawValue &- earlier.rawValue)
    }

    public var description: String { String(rawValue) }
}

extension Duration {
    /// The duration truncated to whole milliseconds.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds &* 1_000 &+ attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds, fractional (for reports and rates, not for scheduling).
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
