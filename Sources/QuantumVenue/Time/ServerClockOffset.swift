import QuantumCore

/// The venue's clock relative to ours, estimated from `GET /fapi/v1/time` round trips (NTP-style).
///
/// Signed requests use local time + offset, so a drifting host does not get -1021. The estimate
/// keeps the sample with the shortest round trip among the recent ones, which bounds its error by
/// half that round trip.
public struct ServerClockOffset: Hashable, Sendable {
    /// One measurement: our clock before and after the request, and the venue's time in the reply.
    public struct Sample: Hashable, Sendable {
        public var sent: EpochMillis
        public var serverTime: EpochMillis
        public var received: EpochMillis

        public init(sent: EpochMillis, serverTime: EpochMillis, received: EpochMillis) {
            self.sent = sent
            self.serverTime = serverTime
            self.received = received
        }

        public var roundTrip: Duration { received.duration(since: sent) }

        /// Venue time − local time at the midpoint of the round trip.
        public var offset: Duration {
            let midpoint = sent.rawValue + (received.rawValue - sent.rawValue) / 2
            return .milliseconds(serverTime.rawValue - midpoint)
        }
    }

    /// Samples kept.
    public static let capacity = 8
    public private(set) var samples: [Sample] = []

    public init() {}

    public mutating func record(_ sample: Sample) {
        samples.append(sample)
        if samples.count > Self.capacity { samples.removeFirst(samples.count - Self.capacity) }
    }

    /// The best sample (shortest round trip), if any.
    public var best: Sample? { samples.min { $0.roundTrip < $1.roundTrip } }

    /// Venue time − local time (zero before the first sample).
    public var offset: Duration { best?.offset ?? .zero }

    /// The venue's time now, from our clock's `local`.
    public func venueTime(at local: EpochMillis) -> EpochMillis { local.advanced(by: offset) }
}
