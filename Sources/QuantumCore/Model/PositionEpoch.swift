/// The life of one position on one symbol: it starts at 1 and goes up each time the symbol goes flat → open.
///
/// Plan identities are built on it (invariant 2): an open is unique per (symbol, direction, epoch),
/// a ladder rung per (epoch, rung), a full close per epoch.
public struct PositionEpoch: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    /// `nil` for 0: epochs start at 1.
    public init?(rawValue: UInt64) {
        guard rawValue >= 1 else { return nil }
        self.rawValue = rawValue
    }

    public static let first = PositionEpoch(rawValue: 1)!

    /// The epoch of the next position on the symbol.
    public var next: PositionEpoch { PositionEpoch(rawValue: rawValue &+ 1) ?? self }

    public static func < (lhs: PositionEpoch, rhs: PositionEpoch) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}
