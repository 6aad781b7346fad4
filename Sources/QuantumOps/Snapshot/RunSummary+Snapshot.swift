import QuantumBus
import QuantumCore
import QuantumServices

extension RunSummary {
    /// The streams whose dead letters the summary counts: the ones the trading path consumes.
    static let deadLetterStreams = [StreamName.plan, StreamName.tradeIntent, StreamName.exitIntent]

    /// The run's totals as the snapshot has them.
    public init(_ snapshot: SystemSnapshot) {
        self.init()
        plans = snapshot.plansByAction.values.reduce(0, +)
        for (word, count) in snapshot.resultsByDecision {
            if let decision = ResultDecision(rawValue: word) { resultsByDecision[decision, default: 0] += count }
        }
        ordersSent = snapshot.ordersSent
        fills = snapshot.fills
        duplicatesPrevented = snapshot.duplicatesPrevented
        positionsOpen = snapshot.positions.count
        realizedPnL = snapshot.realizedPnL
        fees = snapshot.fees
        equity = snapshot.equity
        maxDrawdown = snapshot.maxDrawdown
        intentsRefused = snapshot.intentsRefused
        deadLetters = Self.deadLetterStreams.reduce(0) { $0 + (snapshot.deadLetters[$1] ?? 0) }
        harvest = snapshot.harvest
    }

    /// Reads the totals of everything on this bus and store (this run and the runs before it on the same state),
    /// through the same reader as the doctor, `/metrics` and the dashboard.
    public static func read(log: any EventLog, store: any StateStore) async throws -> RunSummary {
        RunSummary(try await SnapshotReader(log: log, store: store).read(recent: 0))
    }
}
