import QuantumCore

/// The client side of Binance's rate limits: a pure budget the adapter asks before every request and
/// corrects from every reply's headers.
///
/// Three pools, as Binance declares them in `exchangeInfo.rateLimits`: IP `REQUEST_WEIGHT` per
/// minute, and account `ORDERS` per 10 seconds and per minute, each a fixed window on the venue's
/// clock. Priorities are ceilings: a data request may fill a pool only to `ceiling(.data)`, so
/// the rest stays for entries, the monitor, reconciliation and — always last to be squeezed —
/// protective orders (invariant 13). A 429 stops every request until its `Retry-After`; a 418 ban refuses every request
/// at once until the ban ends (the adapter raises a critical alert).
public struct RateLimitBudget: Sendable {
    /// Pool sizes and per-priority ceilings.
    public struct Configuration: Hashable, Sendable {
        public var weightPerMinute = 2_400
        public var ordersPerTenSeconds = 300
        public var ordersPerMinute = 1_200
        /// The share of each pool a priority may fill, in percent (protective 100): when the budget runs low, data
        /// stops first, then opens, then the monitor, then reconciliation; stops and closes always have the rest.
        public var ceilingPercent: [RequestPriority: Int] = [.protective: 100, .reconciliation: 90, .monitor: 80, .entry: 70, .data: 60]
        /// How long to stop after a 429 that has no `Retry-After`.
        public var defaultBackoff: Duration = .seconds(60)
        /// How long a 418 ban lasts when the reply does not say (Binance starts at 2 minutes).
        public var defaultBan: Duration = .seconds(120)

        public init() {}

        /// The ceiling of `priority` for a pool of `limit`.
        /// Computed without overflow: a venue may declare any limit, `Int.max` included.
        public func ceiling(_ priority: RequestPriority, of limit: Int) -> Int {
            let percent = min(100, max(0, ceilingPercent[priority] ?? 100))
            return limit / 100 * percent + limit % 100 * percent / 100
        }
    }

    /// What the caller must do before sending.
    public enum Decision: Hashable, Sendable {
        /// Send now; the cost has been reserved.
        case proceed
        /// Wait until this venue time, then ask again.
        case wait(until: EpochMillis)
        /// Do not send: the IP is banned.
        case refuse(VenueError)
    }

    /// A fixed window's use.
    struct Window: Hashable, Sendable {
        var length: Int64
        var start: Int64 = 0
        var used = 0

        mutating func roll(to now: EpochMillis) {
            let current = now.rawValue - now.rawValue.modulo(length)
            if current != start {
                start = current
                used = 0
            }
        }

        var end: EpochMillis { EpochMillis(start + length) }
    }

    public var configuration: Configuration
    var weight = Window(length: 60_000)
    var orders10s = Window(length: 10_000)
    var orders1m = Window(length: 60_000)
    /// No request before this time (429).
    public private(set) var backoffUntil: EpochMillis?
    /// Banned until this time (418).
    public private(set) var bannedUntil: EpochMillis?

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Asks to send a request costing `weight` IP weight and `orders` new orders, at `priority`.
    public mutating func request(weight cost: Int, orders: Int, priority: RequestPriority, at now: EpochMillis) -> Decision {
        if let bannedUntil, now < bannedUntil {
            return .refuse(VenueError(.banned, "the venue banned this IP until \(bannedUntil); requests are halted",
                                      retryAfter: bannedUntil.duration(since: now)))
        }
        if let backoffUntil, now < backoffUntil { return .wait(until: backoffUntil) }
        roll(to: now)
        if cost > 0, weight.used.addingSaturated(cost) > configuration.ceiling(priority, of: configuration.weightPerMinute) {
            return .wait(until: weight.end)
        }
        if orders > 0 {
            if orders10s.used.addingSaturated(orders) > configuration.ceiling(priority, of: configuration.ordersPerTenSeconds) {
                return .wait(until: orders10s.end)
            }
            if orders1m.used.addingSaturated(orders) > configuration.ceiling(priority, of: configuration.ordersPerMinute) {
                return .wait(until: orders1m.end)
            }
        }
        weight.used = weight.used.addingSaturated(cost)
        orders10s.used = orders10s.used.addingSaturated(orders)
        orders1m.used = orders1m.used.addingSaturated(orders)
        return .proceed
    }

    /// Corrects the estimate from a reply's `X-MBX-USED-WEIGHT-1M` / `X-MBX-ORDER-COUNT-10S` / `-1M`.
    ///
    /// The headers count every request of the IP and account, other processes' included, so the
    /// larger of the header and the local estimate wins.
    public mutating func observe(usedWeight: Int?, orderCount10s: Int?, orderCount1m: Int?, at now: EpochMillis) {
        roll(to: now)
        if let usedWeight { weight.used = max(weight.used, usedWeight) }
        if let orderCount10s { orders10s.used = max(orders10s.used, orderCount10s) }
        if let orderCount1m { orders1m.used = max(orders1m.used, orderCount1m) }
    }

    /// A 429: nothing is sent until `retryAfter` (or the configured default) has passed.
    public mutating func rateLimited(retryAfter: Duration?, at now: EpochMillis) {
        let until = now.advanced(by: retryAfter ?? configuration.defaultBackoff)
        backoffUntil = max(backoffUntil ?? until, until)
    }

    /// A 418: every request is refused until `retryAfter` (or the configured default) has passed.
    public mutating func banned(retryAfter: Duration?, at now: EpochMillis) {
        let until = now.advanced(by: retryAfter ?? configuration.defaultBan)
        bannedUntil = max(bannedUntil ?? until, until)
    }

    /// Adopts the pool sizes the venue declares (`exchangeInfo.rateLimits`); a size that is not
    /// positive is nonsense and keeps the current one (it would otherwise stop every request).
    public mutating func adopt(_ limits: DeclaredRateLimits) {
        if let value = limits.weightPerMinute, value > 0 { configuration.weightPerMinute = value }
        if let value = limits.ordersPerTenSeconds, value > 0 { configuration.ordersPerTenSeconds = value }
        if let value = limits.ordersPerMinute, value > 0 { configuration.ordersPerMinute = value }
    }

    /// What is left of each pool for `priority` right now.
    public func headroom(for priority: RequestPriority, at now: EpochMillis) -> Headroom {
        var rolled = self
        rolled.roll(to: now)
        return Headroom(
            weight: configuration.ceiling(priority, of: configuration.weightPerMinute) - rolled.weight.used,
            ordersPerTenSeconds: configuration.ceiling(priority, of: configuration.ordersPerTenSeconds) - rolled.orders10s.used,
            ordersPerMinute: configuration.ceiling(priority, of: configuration.ordersPerMinute) - rolled.orders1m.used)
    }

    /// Remaining budget of each pool (negative when over).
    public struct Headroom: Hashable, Sendable {
        public var weight: Int
        public var ordersPerTenSeconds: Int
        public var ordersPerMinute: Int
    }

    private mutating func roll(to now: EpochMillis) {
        weight.roll(to: now)
        orders10s.roll(to: now)
        orders1m.roll(to: now)
        if let backoffUntil, now >= backoffUntil { self.backoffUntil = nil }
        if let bannedUntil, now >= bannedUntil { self.bannedUntil = nil }
    }
}

extension Int64 {
    /// The non-negative remainder of division by `divisor` (windows before 1970 stay aligned).
    func modulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}

extension Int {
    /// `self + other`, held at `Int.max`/`Int.min` instead of trapping (header counts come from the wire).
    fileprivate func addingSaturated(_ other: Int) -> Int {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? (other > 0 ? .max : .min) : sum
    }
}
