/// Where the Redis backends keep things: the bus's streams and state keys under their own names (so an operator's
/// `XLEN`, `XINFO GROUPS`, `XPENDING` and `HGETALL` read the system's truth), and the bookkeeping Redis lacks under
/// `quantum:bus:`.
public struct RedisBusNames: Hashable, Sendable {
    /// Put before every key; empty in operation. Tests give each log or store its own, to share one server.
    public var namespace: String

    public init(namespace: String = "") {
        self.namespace = namespace
    }

    /// The Redis key of a stream or a state key.
    public func key(_ name: String) -> String { namespace + name }

    /// The prefix of the backends' own bookkeeping keys, which no state listing shows.
    var reservedPrefix: String { namespace + "quantum:bus:" }

    /// When each pending entry of a group was last delivered, on the log's clock (Redis's own idle times use the
    /// server's clock).
    func deliveries(_ stream: String, group: String) -> String { reservedPrefix + "delivered:" + stream + "|" + group }

    /// The expiry of every state key with a time to live, on the store's clock, by key.
    var expiries: String { reservedPrefix + "expiry" }
}
