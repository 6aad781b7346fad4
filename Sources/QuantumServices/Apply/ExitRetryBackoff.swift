import QuantumCore

/// How soon an exit decision whose last attempt filled nothing may be tried again: doubling from
/// `initial` to `maximum`, so a venue refusing closes is asked again and again, never in a storm.
///
/// Memory only: after a restart the first retry goes at once, which is what an unprotected position needs.
actor ExitRetryBackoff {
    struct Configuration: Hashable, Sendable {
        var initial: Duration = .milliseconds(500)
        var maximum: Duration = .seconds(15)
    }

    private let configuration: Configuration
    private var failures: [String: (count: Int, at: EpochMillis)] = [:]

    init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// An attempt at `decisionID` ended without a fill at `now`.
    func failed(_ decisionID: String, at now: EpochMillis) {
        let count = (failures[decisionID]?.count ?? 0) + 1
        failures[decisionID] = (count, now)
    }

    /// Whether the next attempt at `decisionID` may go at `now`.
    func ready(_ decisionID: String, at now: EpochMillis) -> Bool {
        guard let last = failures[decisionID] else { return true }
        return now.duration(since: last.at) >= delay(after: last.count)
    }

    /// The wait after `failures` failed attempts.
    func delay(after failures: Int) -> Duration {
        var delay = configuration.initial
        for _ in 1..<max(failures, 1) where delay < configuration.maximum { delay = delay * 2 }
        return min(delay, configuration.maximum)
    }
}
