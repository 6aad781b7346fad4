/// One pending (delivered, unacknowledged) entry, from the extended form of `XPENDING`.
public struct RedisPendingEntry: Sendable, Hashable {
    /// The entry ID.
    public var id: String
    /// The consumer it was last delivered to.
    public var consumer: String
    /// The time since it was last delivered.
    public var idle: Duration
    /// How many times it was delivered.
    public var deliveries: Int
}
