/// A service's periodic proof of life, with its progress (invariant 11).
public struct Heartbeat: BusMessage {
    public static var messageType: MessageType { .heartbeat }

    public var service: ServiceName
    /// Distinguishes processes of one service (host:pid, or `embedded`).
    public var instance: String
    public var status: ServiceStatus
    /// Entries or ticks processed since start.
    public var processed: Int64
    /// Entries waiting for this service, if it consumes a stream.
    public var lag: Int64?
    /// When the service last made progress (processed something or finished an idle cycle).
    public var lastProgress: EpochMillis
    /// The promised interval between heartbeats; stale after three.
    public var interval: Duration
    public var createdAt: EpochMillis
    /// The host's wall-clock time of the beat, when it differs from the system's clock (a scaled market clock):
    /// lets `quantum doctor` tell a process that is gone from one that is running.
    public var wallClock: EpochMillis?

    public init(
        service: ServiceName, instance: String, status: ServiceStatus, processed: Int64, lag: Int64?,
        lastProgress: EpochMillis, interval: Duration, createdAt: EpochMillis, wallClock: EpochMillis? = nil
    ) {
        self.service = service
        self.instance = instance
        self.status = status
        self.processed = processed
        self.lag = lag
        self.lastProgress = lastProgress
        self.interval = interval
        self.createdAt = createdAt
        self.wallClock = wallClock
    }

    public init(reading r: FieldReader, createdAt: EpochMillis) throws(MessageDecodingError) {
        let processed = try r.int("processed")
        guard processed >= 0 else { throw MessageDecodingError(.invalidValue, field: "processed", "must not be negative") }
        let lag = try r.optionalInt("lag")
        if let lag, lag < 0 { throw MessageDecodingError(.invalidValue, field: "lag", "must not be negative") }
        let intervalMs = try r.int("interval_ms")
        guard intervalMs > 0 else { throw MessageDecodingError(.invalidValue, field: "interval_ms", "must be positive") }
        self.init(
            service: try r.word("service"), instance: try r.string("instance"), status: try r.word("status"),
            processed: processed, lag: lag, lastProgress: try r.time("last_progress"), interval: .milliseconds(intervalMs),
            createdAt: createdAt, wallClock: try r.optionalInt("wall_ms").map { EpochMillis($0) })
    }

    public func write(to w: inout FieldWriter) {
        w.set("service", service)
        w.set("instance", instance)
        w.set("status", status)
        w.set("processed", processed)
        w.set("lag", lag)
        w.set("last_progress", lastProgress)
        w.set("interval_ms", interval.wholeMilliseconds)
        if let wallClock { w.set("wall_ms", wallClock.rawValue) }
    }

    /// Whether the service is stale at `now`: no heartbeat for three intervals.
    public func isStale(at now: EpochMillis) -> Bool {
        now.duration(since: createdAt) > interval * 3
    }
}
