import QuantumCore
import QuantumSim

/// Binance's per-IP `REQUEST_WEIGHT` limit: a fixed 1-minute window (the calendar minute of the
/// injected time), 429 `-1003` over the limit, and escalating 418 bans for a client that keeps
/// sending after a 429 in the same window.
///
/// A value type with no clock and no lock: the server passes the time in and serialises calls (an
/// actor or a mutex around it). Requests that weigh 0 (order entry) are never refused by the weight
/// limit, only by a ban. A refused request's weight still counts, so the used-weight header can
/// exceed the limit, as on the live exchange.
public struct WeightLimiter: Sendable {
    /// The limit and the ban policy.
    public struct Configuration: Hashable, Sendable {
        /// Request weight per IP per minute (production 2400).
        public var limit: Int
        /// How many 429s an IP gets in one window before its next over-limit request is banned.
        public var rejectionsBeforeBan: Int
        /// The first ban's length; each further ban doubles it.
        public var firstBan: Duration
        /// The longest ban (production: 3 days).
        public var maxBan: Duration
        /// How long after a ban ends it still makes the next ban longer.
        public var offenceMemory: Duration

        public init(
            limit: Int = 2_400, rejectionsBeforeBan: Int = 1, firstBan: Duration = .seconds(120),
            maxBan: Duration = .seconds(3 * 86_400), offenceMemory: Duration = .seconds(86_400)
        ) {
            self.limit = limit
            self.rejectionsBeforeBan = rejectionsBeforeBan
            self.firstBan = firstBan
            self.maxBan = maxBan
            self.offenceMemory = offenceMemory
        }
    }

    /// The outcome of one request: the weight used this minute (for `X-MBX-USED-WEIGHT-1M`) and the
    /// rejection, if any.
    public struct Verdict: Hashable, Sendable {
        public var usedWeight: Int
        public var rejection: RateLimitRejection?
        /// Whether the request may be served.
        public var isAllowed: Bool { rejection == nil }
    }

    private struct Client {
        var minute: Int64
        var used = 0
        var rejections = 0
        var bannedUntil: Int64?
        var bans = 0
        var lastBanEnd: Int64?
    }

    /// The limit and ban policy in force.
    public let configuration: Configuration
    private var clients: [String: Client] = [:]
    private var lastPruneMinute = Int64.min

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Accounts for a request of `weight` from `ip` at `now` and says whether to serve it.
    public mutating func admit(ip: String, weight: Int, at now: EpochMillis) -> Verdict {
        let time = now.rawValue
        let minute = Self.minute(of: time)
        prune(minute: minute, now: time)
        var client = clients[ip] ?? Client(minute: minute)
        defer { clients[ip] = client }
        if client.minute != minute {
            client = Client(minute: minute, bannedUntil: client.bannedUntil, bans: client.bans, lastBanEnd: client.lastBanEnd)
        }
        if let until = client.bannedUntil {
            if time < until { return Verdict(usedWeight: client.used, rejection: Self.banned(until: until, now: time)) }
            client.bannedUntil = nil
        }
        guard weight > 0, client.used + weight > configuration.limit else {
            client.used += max(weight, 0)
            return Verdict(usedWeight: client.used, rejection: nil)
        }
        client.used += weight
        if client.rejections >= configuration.rejectionsBeforeBan {
            let remembered = client.lastBanEnd.map { time - $0 <= configuration.offenceMemory.wholeMilliseconds } ?? false
            let level = remembered ? client.bans : 0
            let until = time + banLength(level: level)
            client.bans = level + 1
            client.bannedUntil = until
            client.lastBanEnd = until
            return Verdict(usedWeight: client.used, rejection: Self.banned(until: until, now: time))
        }
        client.rejections += 1
        let rejection = RateLimitRejection(
            error: EdgeErrors.tooMuchWeight(limit: configuration.limit), status: 429,
            retryAfterSeconds: RateLimitRejection.seconds(from: time, to: (minute + 1) * 60_000)
        )
        return Verdict(usedWeight: client.used, rejection: rejection)
    }

    /// The weight `ip` has used in the minute of `now`.
    public func usedWeight(ip: String, at now: EpochMillis) -> Int {
        guard let client = clients[ip], client.minute == Self.minute(of: now.rawValue) else { return 0 }
        return client.used
    }

    /// When the ban on `ip` ends, if it is banned at `now`.
    public func banExpiry(ip: String, at now: EpochMillis) -> EpochMillis? {
        guard let until = clients[ip]?.bannedUntil, now.rawValue < until else { return nil }
        return EpochMillis(until)
    }

    /// The length of a ban at escalation `level` (0 = first): `firstBan · 2^level`, capped at `maxBan`.
    public func banLength(level: Int) -> Int64 {
        let cap = configuration.maxBan.wholeMilliseconds
        var length = configuration.firstBan.wholeMilliseconds
        for _ in 0..<max(level, 0) where length < cap {
            length = length > cap / 2 ? cap : length * 2
        }
        return min(length, cap)
    }

    private static func banned(until: Int64, now: Int64) -> RateLimitRejection {
        RateLimitRejection(
            error: EdgeErrors.ipBanned(until: EpochMillis(until)), status: 418,
            retryAfterSeconds: RateLimitRejection.seconds(from: now, to: until)
        )
    }

    private static func minute(of time: Int64) -> Int64 {
        let (quotient, remainder) = time.quotientAndRemainder(dividingBy: 60_000)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// Once a minute, forgets IPs with a stale window, no ban and no remembered offence.
    private mutating func prune(minute: Int64, now: Int64) {
        guard minute > lastPruneMinute else { return }
        lastPruneMinute = minute
        let memory = configuration.offenceMemory.wholeMilliseconds
        clients = clients.filter { _, client in
            client.minute == minute || (client.bannedUntil ?? .min) > now || client.lastBanEnd.map { now - $0 <= memory } == true
        }
    }
}
