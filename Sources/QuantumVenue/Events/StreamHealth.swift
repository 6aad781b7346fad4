import QuantumCore

/// How the venue's streams are doing, for the health monitor and the dashboard.
public struct StreamHealth: Hashable, Sendable {
    /// One stream's state.
    public struct Connection: Hashable, Sendable {
        public var isConnected = false
        /// Connections made so far (the first included).
        public var connects = 0
        /// Disconnects seen (server close, error, expiry).
        public var disconnects = 0
        public var lastConnected: EpochMillis?
        public var lastMessage: EpochMillis?
        public var lastError: String?

        public init() {}
    }

    public var user = Connection()
    public var market = Connection()
    /// Listen keys created (more than one means it was recreated after expiry or loss).
    public var listenKeysCreated = 0
    /// Resyncs done after (re)connects.
    public var resyncs = 0
    /// Fills found by a resync that the stream had not delivered.
    public var recoveredTrades = 0
    /// The IP is banned until this venue time (418).
    public var bannedUntil: EpochMillis?

    public init() {}
}
