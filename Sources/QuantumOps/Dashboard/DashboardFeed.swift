import QuantumBus
import QuantumCore
import QuantumServices

/// The dashboard's data: fresh snapshots at most every `minimumInterval`, and the equity curve sampled from them.
///
/// Shared by every open page and `/metrics`, so ten browsers cost one reading of the state.
public actor DashboardFeed {
    public let reader: SnapshotReader
    public let description: String
    public let minimumInterval: Duration
    private var cached: (at: ContinuousClock.Instant, snapshot: SystemSnapshot)?
    private var curve: [(EpochMillis, Notional)] = []
    /// Points kept on the curve (a day of one per minute when sampled each minute; older points are thinned).
    private let curveCapacity = 1_440

    public init(log: any EventLog, store: any StateStore, description: String, minimumInterval: Duration = .milliseconds(500)) {
        self.reader = SnapshotReader(log: log, store: store)
        self.description = description
        self.minimumInterval = minimumInterval
    }

    /// The latest snapshot, read again when the cached one is older than `minimumInterval`.
    public func snapshot() async throws -> SystemSnapshot {
        let now = ContinuousClock.now
        if let cached, now - cached.at < minimumInterval { return cached.snapshot }
        let snapshot = try await reader.read()
        cached = (now, snapshot)
        if snapshot.equity.isPositive, curve.last.map({ $0.0 < snapshot.asOf && $0.1 != snapshot.equity }) ?? true {
            curve.append((snapshot.asOf, snapshot.equity))
            if curve.count > curveCapacity { curve = stride(from: 0, to: curve.count, by: 2).map { curve[$0] } }
        }
        return snapshot
    }

    /// Forgets the cached snapshot: the next reading is fresh (after the dashboard itself changed the state).
    public func invalidate() {
        cached = nil
    }

    /// The dashboard JSON of the latest snapshot.
    public func json() async throws -> String {
        let snapshot = try await snapshot()
        return snapshot.dashboardJSON(description: description, equityCurve: curve)
    }
}
