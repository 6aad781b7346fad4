/// The summary form of `XPENDING`: how much is pending, and for whom.
public struct RedisPendingSummary: Sendable, Hashable {
    /// How many entries are pending in the group.
    public var count: Int
    /// The smallest pending ID; nil when nothing is pending.
    public var smallestID: String?
    /// The largest pending ID; nil when nothing is pending.
    public var largestID: String?
    /// Pending entries per consumer that has any.
    public var consumers: [String: Int]
}
