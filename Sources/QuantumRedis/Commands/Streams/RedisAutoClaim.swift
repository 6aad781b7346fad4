/// What `XAUTOCLAIM` claimed, and where the next scan starts.
public struct RedisAutoClaim: Sendable, Hashable {
    /// The ID to pass as `start` next time; `0-0` once the whole pending list was scanned.
    public var nextStart: String
    /// The entries now owned by the claiming consumer.
    public var entries: [RedisStreamEntry]
    /// IDs that were pending but no longer exist in the stream; Redis removed them from the pending list (Redis 7+).
    public var deletedIDs: [String]
}
