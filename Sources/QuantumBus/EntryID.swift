import QuantumCore

/// The id of a stream entry, ordered like a Redis stream id: `<milliseconds>-<sequence>`.
public struct EntryID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var milliseconds: UInt64
    public var sequence: UInt64

    public init(milliseconds: UInt64, sequence: UInt64) {
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    /// The smallest possible id (`0-0`).
    public static let zero = EntryID(milliseconds: 0, sequence: 0)

    /// The largest possible id, an open upper bound for `range` and `reverseRange`.
    public static let max = EntryID(milliseconds: .max, sequence: .max)

    /// Parses `"1700000000000-3"`; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let ms = UInt64(parts[0]), let seq = UInt64(parts[1]) else { return nil }
        self.init(milliseconds: ms, sequence: seq)
    }

    public static func < (lhs: EntryID, rhs: EntryID) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }

    public var description: String { "\(milliseconds)-\(sequence)" }
}

extension EntryID {
    /// The smallest id after this one (for reading a range that excludes an id already seen).
    public var successor: EntryID {
        sequence == .max ? EntryID(milliseconds: milliseconds &+ 1, sequence: 0) : EntryID(milliseconds: milliseconds, sequence: sequence + 1)
    }
}
