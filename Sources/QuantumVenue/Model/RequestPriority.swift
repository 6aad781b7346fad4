/// Who goes first when the rate-limit budget is short (invariant 13): protection first, then knowing the truth,
/// then watching it, and new risk last (opens are shed first).
public enum RequestPriority: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Protective stops, closes and reduces, and resolving them: may spend the whole budget.
    case protective = 0
    /// Order and position queries that resolve or reconcile state.
    case reconciliation = 1
    /// The protection monitor's checks.
    case monitor = 2
    /// New entries, and resolving them.
    case entry = 3
    /// Market data and everything else.
    case data = 4

    public static func < (lhs: RequestPriority, rhs: RequestPriority) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .protective: "protective"
        case .reconciliation: "reconciliation"
        case .monitor: "monitor"
        case .entry: "entry"
        case .data: "data"
        }
    }
}
