import QuantumCore
import QuantumSim

/// Binance's per-account `ORDERS` limits: new orders per 10 seconds and per minute (fixed windows of
/// the injected time), `-1015` with HTTP 429 when one is exhausted.
///
/// A value type like `WeightLimiter`; the server serialises calls. A refused order does not count.
public struct OrderCountLimiter: Sendable {
    /// The two limits.
    public struct Configuration: Hashable, Sendable {
        /// New orders per 10 seconds (production 300).
        public var perTenSeconds: Int
        /// New orders per minute (production 1200).
        public var perMinute: Int

        public init(perTenSeconds: Int = 300, perMinute: Int = 1_200) {
            self.perTenSeconds = perTenSeconds
            self.perMinute = perMinute
        }
    }

    /// The outcome of one order request: the counts for `X-MBX-ORDER-COUNT-10S`/`-1M` and the
    /// rejection, if any.
    public struct Verdict: Hashable, Sendable {
        public var count10s: Int
        public var count1m: Int
        public var rejection: RateLimitRejection?
        /// Whether the order may be placed.
        public var isAllowed: Bool { rejection == nil }
    }

    private struct Counter {
        var tenSeconds: Int64
        var count10s = 0
        var minute: Int64
        var count1m = 0
    }

    /// The limits in force.
    public let configuration: Configuration
    private var counters: [String: Counter] = [:]
    private var lastPruneMinute = Int64.min

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Accounts for a request costing `cost` from `account` at `now` and says whether to serve it.
    public mutating func admit(account: String, cost: RequestCost, at now: EpochMillis) -> Verdict {
        let time = now.rawValue
        let tenSeconds = Self.window(of: time, length: 10_000)
        let minute = Self.window(of: time, length: 60_000)
        prune(minute: minute)
        var counter = current(account: account, tenSeconds: tenSeconds, minute: minute)
        if counter.count10s + cost.orders10s > configuration.perTenSeconds {
            return rejected(counter, limit: configuration.perTenSeconds, interval: "10 SECOND", until: (tenSeconds + 1) * 10_000, now: time)
        }
        if counter.count1m + cost.orders1m > configuration.perMinute {
            return rejected(counter, limit: configuration.perMinute, interval: "MINUTE", until: (minute + 1) * 60_000, now: time)
        }
        counter.count10s += cost.orders10s
        counter.count1m += cost.orders1m
        counters[account] = counter
        return Verdict(count10s: counter.count10s, count1m: counter.count1m, rejection: nil)
    }

    /// The orders `account` has placed in the 10-second window and the minute of `now`.
    public func counts(account: String, at now: EpochMillis) -> (tenSeconds: Int, minute: Int) {
        let counter = current(
            account: account, tenSeconds: Self.window(of: now.rawValue, length: 10_000), minute: Self.window(of: now.rawValue, length: 60_000)
        )
        return (counter.count10s, counter.count1m)
    }

    private func current(account: String, tenSeconds: Int64, minute: Int64) -> Counter {
        var counter = counters[account] ?? Counter(tenSeconds: tenSeconds, minute: minute)
        if counter.tenSeconds != tenSeconds { counter.tenSeconds = tenSeconds; counter.count10s = 0 }
        if counter.minute != minute { counter.minute = minute; counter.count1m = 0 }
        return counter
    }

    private func rejected(_ counter: Counter, limit: Int, interval: String, until: Int64, now: Int64) -> Verdict {
        let rejection = RateLimitRejection(
            error: EdgeErrors.tooManyOrders(limit: limit, interval: interval), status: 429,
            retryAfterSeconds: RateLimitRejection.seconds(from: now, to: until)
        )
        return Verdict(count10s: counter.count10s, count1m: counter.count1m, rejection: rejection)
    }

    private static func window(of time: Int64, length: Int64) -> Int64 {
        let (quotient, remainder) = time.quotientAndRemainder(dividingBy: length)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// Once a minute, forgets accounts with no order this minute.
    private mutating func prune(minute: Int64) {
        guard minute > lastPruneMinute else { return }
        lastPruneMinute = minute
        counters = counters.filter { $0.value.minute == minute }
    }
}
