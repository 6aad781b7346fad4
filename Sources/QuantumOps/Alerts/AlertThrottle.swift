import QuantumCore

/// Decides which alerts go out: one per condition (deduplicated by key), at most `maximumPerWindow` per window,
/// and a resolved notice for every condition that was announced.
///
/// Pure: the webhook service feeds it alerts and clock ticks and sends what it returns.
public struct AlertThrottle: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// A condition already announced is announced again only after this long (a reminder while it lasts).
        public var repeatAfter: Duration = .seconds(3_600)
        /// At most this many messages per `window`; the rest are counted and summarised.
        public var maximumPerWindow = 20
        public var window: Duration = .seconds(60)

        public init() {}
    }

    /// What to send.
    public enum Action: Hashable, Sendable {
        case send(Alert)
        /// `count` alerts were held back by the rate limit in the window that just ended.
        case suppressed(count: Int, at: EpochMillis)
    }

    public var configuration: Configuration
    /// Announced conditions still open: key → when last sent and how many repeats were folded into it.
    public private(set) var open: [String: (sentAt: EpochMillis, repeats: Int)] = [:]
    private var windowStart: EpochMillis?
    private var sentInWindow = 0
    private var suppressedInWindow = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// An alert arrived: send it, or fold it into an open condition, or hold it back.
    public mutating func event(_ alert: Alert) -> [Action] {
        var actions = roll(to: alert.time)
        switch alert.severity {
        case .resolved:
            // Nothing was announced, nothing to resolve (a notice line with no alert before it).
            guard open.removeValue(forKey: alert.key) != nil else { return actions }
            // A resolution always goes out: an operator told of a fault must hear of its end.
            sentInWindow += 1
            actions.append(.send(alert))
        case .error, .critical:
            if let known = open[alert.key], alert.time.duration(since: known.sentAt) < configuration.repeatAfter {
                open[alert.key]?.repeats += 1
                return actions
            }
            guard sentInWindow < configuration.maximumPerWindow else {
                suppressedInWindow += 1
                return actions
            }
            sentInWindow += 1
            open[alert.key] = (alert.time, 0)
            actions.append(.send(alert))
        }
        return actions
    }

    /// Time passed: a window that ended with alerts held back reports them.
    public mutating func tick(at now: EpochMillis) -> [Action] {
        roll(to: now)
    }

    private mutating func roll(to now: EpochMillis) -> [Action] {
        guard let start = windowStart else {
            windowStart = now
            return []
        }
        guard now.duration(since: start) >= configuration.window else { return [] }
        defer {
            windowStart = now
            sentInWindow = 0
            suppressedInWindow = 0
        }
        return suppressedInWindow > 0 ? [.suppressed(count: suppressedInWindow, at: now)] : []
    }
}
