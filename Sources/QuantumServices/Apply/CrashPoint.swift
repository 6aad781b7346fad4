/// Named points of the executor's order path where a test may crash the process: the moments between two durable
/// steps, where a restart must find enough in the store to send nothing twice and lose no result.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// The order is journaled `SUBMITTING`; nothing has been sent.
    case afterJournal = "after_journal"
    /// The order is filled on the exchange; the fill is not yet applied and no result published.
    case afterFill = "after_fill"
    /// The fill is applied and the journal terminal; the result is not yet published.
    case beforePublish = "before_publish"
}

/// What the executor does on reaching a `CrashPoint`: nothing in operation; a simulation harness passes one that
/// kills the simulated process there (its store, bus and venue refuse everything after, as a dead process's would).
public struct CrashPoints: Sendable {
    private let reach: (@Sendable (CrashPoint) async -> Void)?

    /// Calls `reached` at every crash point.
    public init(_ reached: @escaping @Sendable (CrashPoint) async -> Void) {
        reach = reached
    }

    private init() {
        reach = nil
    }

    /// Crash points that do nothing.
    public static let none = CrashPoints()

    /// The executor is at `point`.
    func reached(_ point: CrashPoint) async {
        await reach?(point)
    }
}
