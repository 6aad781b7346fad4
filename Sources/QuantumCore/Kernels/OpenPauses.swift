/// Timed pauses of every open, each started by a rule and each with the instant it lifts (FM-19).
///
/// A gate that nothing lifts stops a system for good: the seed's loss-streak block refused every
/// plan for days. Here a pause is a deadline, not a flag, so it ends by itself and the operator can
/// read when (`quantum doctor`, the dashboard). Stored as one hash, cause → end (ms).
public struct OpenPauses: Hashable, Sendable {
    /// The rule that paused opens.
    public enum Cause: String, Hashable, Sendable, CaseIterable {
        /// `maxConsecutiveLosses` losing closes in a row; lasts `lossPauseCoolDown`.
        case consecutiveLosses = "consecutive_losses"
        /// The venue refused `marginRefusalLimit` opens for margin (-2019) within the window; lasts `marginRefusalPause`.
        case marginRefusals = "margin_refusals"

        /// The reason an open refused by this pause carries.
        public var reason: DecisionReason {
            switch self {
            case .consecutiveLosses: .consecutiveLosses
            case .marginRefusals: .marginRefusalPause
            }
        }
    }

    /// When each pause lifts.
    public var until: [Cause: EpochMillis] = [:]

    public init(until: [Cause: EpochMillis] = [:]) {
        self.until = until
    }

    /// Reads the stored hash; fields of unknown causes or with unreadable ends are ignored.
    public init(fields: [String: String]) {
        for (name, value) in fields {
            if let cause = Cause(rawValue: name), let millis = Int64(value) { until[cause] = EpochMillis(millis) }
        }
    }

    /// The pause deciding at `now`: the active one that lifts last (its end is when opens resume), `nil` if none.
    public func active(at now: EpochMillis) -> (cause: Cause, until: EpochMillis)? {
        until.filter { now < $0.value }.max { ($0.value, $0.key.rawValue) < ($1.value, $1.key.rawValue) }.map { ($0.key, $0.value) }
    }

    /// The stored field of one pause.
    public static func field(_ cause: Cause, until: EpochMillis) -> [String: String] {
        [cause.rawValue: String(until.rawValue)]
    }
}
