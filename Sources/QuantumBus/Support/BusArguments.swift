/// Argument checks shared by the backends, reported as `.invalidArgument`.
enum BusArguments {
    /// Throws unless `value` is non-empty.
    static func name(_ value: String, _ what: String) throws(EventLogError) {
        if value.isEmpty { throw EventLogError(.invalidArgument, "\(what) must not be empty") }
    }

    /// Throws unless `value` is at least `minimum`.
    static func atLeast(_ minimum: Int, _ value: Int, _ what: String) throws(EventLogError) {
        if value < minimum { throw EventLogError(.invalidArgument, "\(what) must be at least \(minimum), got \(value)") }
    }

    /// Checks a stream and group name.
    static func streamAndGroup(_ stream: String, _ group: String) throws(EventLogError) {
        try name(stream, "stream")
        try name(group, "group")
    }

    /// Checks the arguments of a delivery to a consumer (`readNew`, `claim`).
    static func delivery(_ stream: String, _ group: String, consumer: String, count: Int) throws(EventLogError) {
        try streamAndGroup(stream, group)
        try name(consumer, "consumer")
        try atLeast(1, count, "count")
    }

    /// Checks the arguments of a claim of given entries.
    static func claim(_ stream: String, _ group: String, consumer: String, minIdle: Duration) throws(EventLogError) {
        try streamAndGroup(stream, group)
        try name(consumer, "consumer")
        if minIdle < .zero { throw EventLogError(.invalidArgument, "minIdle must not be negative") }
    }

    /// Checks a state key and an optional time to live (which must be positive).
    static func key(_ key: String, ttl: Duration? = nil) throws(StateStoreError) {
        if key.isEmpty { throw StateStoreError(.invalidArgument, "key must not be empty") }
        if let ttl, ttl <= .zero { throw StateStoreError(.invalidArgument, "ttl must be positive, got \(ttl)") }
    }
}
