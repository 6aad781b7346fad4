/// Who goes first when the rate-limit budget is short (invariant 13): protection before profit,
/// profit before bookkeeping.
public enum RequestPriority: Int, Hashable, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Protective stops, closes and reduces: may spend the whole budget.
    case protective = 0
    /// New entries.
    case entry = 1
    /// Order and position queries that resolve or reconcile state.
    case reconciliation = 2
    /// Market data and everything else.
    case data = 3

    public static func < (lhs: RequestPriority, rhs: RequestPriority) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .protective: "protective"
        case .entry: "entry"
        case .reconciliation: "reconciliation"
        case .data: "data"
        }
    }
}
