/// A pure signal strategy: closed bars in, an optional signal out.
///
/// Implementations have no clock, no I/O and no state between calls, so the same bars always
/// give the same answer (replays and live trading agree).
public protocol Strategy: Sendable {
    /// Stable identifier used in signals and logs (`trend_following`, …).
    var name: String { get }
    /// Whether this strategy only stands in when no primary strategy signals.
    var isFallback: Bool { get }
    /// The fewest bars `evaluate` needs to produce a signal; fewer always gives `nil`.
    var barsNeeded: Int { get }
    /// The signal for the bar just closed, or `nil` to hold.
    ///
    /// - Parameter bars: closed bars of one symbol and interval, oldest first.
    func evaluate(_ bars: [Bar]) -> StrategySignal?
}

/// A strategy configuration that cannot work (a fast average slower than the slow one, …).
public struct StrategyConfigurationError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// A look-back period is too short.
        case invalidPeriod = "invalid_period"
        /// A multiplier, percentage or threshold is not positive, finite or in its range.
        case invalidParameter = "invalid_parameter"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}

/// `value` with `decimals` places for a signal's rationale (`"0.42"`); statistics only.
func rationaleText(_ value: Double, decimals: Int = 2) -> String {
    guard let ratio = try? Ratio(approximating: value) else { return "\(value)" }
    return ratio.formatted(decimals: decimals)
}
