/// Exponential backoff between failed connection attempts.
public struct RedisBackoff: Sendable, Hashable {
    /// The wait after the first failure.
    public var initial: Duration
    /// The longest wait, however many failures.
    public var maximum: Duration
    /// The factor each further failure multiplies the wait by.
    public var multiplier: Double

    /// A backoff with defaults: 100 ms, doubling, at most 10 s.
    public init(initial: Duration = .milliseconds(100), maximum: Duration = .seconds(10), multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The wait after `failures` consecutive failures (at least 1): `initial * multiplier^(failures-1)`, capped.
    public func delay(afterFailures failures: Int) -> Duration {
        var delay = initial
        var step = 1
        while step < failures, delay < maximum {
            delay = delay * max(multiplier, 1)
            step += 1
        }
        return min(delay, maximum)
    }
}
