import QuantumBus
import QuantumCore
import QuantumServices

/// Reads `SystemSnapshot`s from a state directory's bus and store.
///
/// The plan, result and reconcile streams only grow, so their tallies are kept between readings and
/// each reading scans only the entries appended since the last: a scrape every few seconds stays cheap
/// on a state with months of history.
public actor SnapshotReader {
    public let log: any EventLog
    public let store: any StateStore
    private var tallies = Tallies()

    private struct Tallies {
        var planCursor = EntryID.zero
        var resultCursor = EntryID.zero
        var reconcileCursor = EntryID.zero
        var plansByAction: [String: Int] = [:]
        var resultsByActionAndDecision: [String: [String: Int]] = [:]
        var failuresByReason: [String: Int] = [:]
        var driftEvents = 0
        var harvest = HarvestFigures()
    }

    /// The streams whose consumer groups and dead letters the snapshot reports.
    public static let streams = [StreamName.tradeIntent, StreamName.exitIntent, StreamName.plan, StreamName.result, StreamName.marketState,
                                 StreamName.heartbeat, StreamName.serviceEvent, StreamName.reconcile]
    /// Reconciliation event kinds that are drift (the store and the exchange disagreed).
    public static let driftKinds: Set<String> = ["unknown_position", "position_vanished", "quantity_mismatch"]

    public init(log: any EventLog, store: any StateStore) {
        self.log = log
        self.store = store
    }

    /// A snapshot now, with the `recent` latest plans and results (none with 0).
    public func read(recent: Int = 20, health: HealthMonitor.Configuration = HealthMonitor.Configuration()) async throws -> SystemSnapshot {
        try await catchUp()
        var snapshot = SystemSnapshot(asOf: EpochMillis(0), killSwitch: try await KillSwitch(store: store).state())
        try await readHealth(into: &snapshot, configuration: health)
        snapshot.plansByAction = tallies.plansByAction
        snapshot.resultsByActionAndDecision = tallies.resultsByActionAndDecision
        snapshot.failuresByReason = tallies.failuresByReason
        snapshot.driftEvents = tallies.driftEvents
        if recent > 0 {
            snapshot.recentPlans = try await log.reverseRange(StreamName.plan, from: .max, to: .zero, count: recent).map(\.fields)
            snapshot.recentResults = try await log.reverseRange(StreamName.result, from: .max, to: .zero, count: recent).map(\.fields)
        }
        func stat(_ s: ExecutorStat) async throws -> Int64 { try await store.get(StateKey.stat(s)).flatMap(Int64.init) ?? 0 }
        snapshot.ordersSent = try await stat(.ordersSent)
        snapshot.fills = try await stat(.fills)
        snapshot.duplicatesPrevented = try await stat(.duplicatesPrevented)
        snapshot.realizedPnL = Notional(units: try await stat(.realizedPnLUnits))
        snapshot.fees = Notional(units: try await stat(.feeUnits))
        let account = AccountWindows(fields: try await store.fields(StateKey.account))
        snapshot.equity = account.equity
        snapshot.maxDrawdown = account.maxDrawdown
        snapshot.intentsRefused = try await log.length(StreamName.intentRejected)
        snapshot.harvest = tallies.harvest
        try await snapshot.harvest.readCounters(store)
        for (symbol, since) in try await store.fields(StateKey.unprotected) { snapshot.unprotected[symbol] = EpochMillis(Int64(since) ?? 0) }
        snapshot.exitPathHalted = try await store.fields(StateKey.exitPathHalt).keys.sorted()
        snapshot.openPauses = OpenPauses(fields: try await store.fields(StateKey.openPauses))
        for (symbol, until) in try await store.fields(StateKey.churnPauses) { snapshot.churnPauses[symbol] = EpochMillis(Int64(until) ?? 0) }
        try await readPositions(into: &snapshot)
        for stream in Self.streams {
            for group in try await log.groups(stream) {
                snapshot.consumers.append(.init(stream: stream, group: group.name, lag: group.lag, pending: group.pending))
            }
            let dead = try await log.length(stream + ".deadletter")
            if dead > 0 { snapshot.deadLetters[stream] = dead }
        }
        return snapshot
    }

    /// Tallies the entries appended since the last reading.
    private func catchUp() async throws {
        try await scan(StreamName.plan, from: tallies.planCursor) { tallies, fields in
            tallies.plansByAction[fields["action"] ?? "?", default: 0] += 1
        } advance: { $0.planCursor = $1 }
        try await scan(StreamName.result, from: tallies.resultCursor) { tallies, fields in
            let action = fields["action"] ?? "?", decision = fields["decision"] ?? "?"
            tallies.resultsByActionAndDecision[action, default: [:]][decision, default: 0] += 1
            if fields["executed"] != "true" { tallies.failuresByReason[fields["error"] ?? decision.lowercased(), default: 0] += 1 }
            tallies.harvest.count(result: fields)
        } advance: { $0.resultCursor = $1 }
        try await scan(StreamName.reconcile, from: tallies.reconcileCursor) { tallies, fields in
            if Self.driftKinds.contains(fields["kind"] ?? "") { tallies.driftEvents += 1 }
        } advance: { $0.reconcileCursor = $1 }
    }

    private func scan(_ stream: String, from start: EntryID, _ count: (inout Tallies, [String: String]) -> Void,
                      advance: (inout Tallies, EntryID) -> Void) async throws {
        var cursor = start
        while true {
            let page = try await log.range(stream, from: cursor, to: .max, count: 5_000)
            for entry in page { count(&tallies, entry.fields) }
            guard let last = page.last else { break }
            cursor = last.id.successor
            advance(&tallies, cursor)
            if page.count < 5_000 { break }
        }
    }

    /// Judges every service from the recent heartbeats and supervisor events, at the system's own latest time.
    private func readHealth(into snapshot: inout SystemSnapshot, configuration: HealthMonitor.Configuration) async throws {
        var monitor = HealthMonitor(configuration: configuration)
        var latest = EpochMillis(0)
        for entry in try await log.reverseRange(StreamName.heartbeat, from: .max, to: .zero, count: 2_000).reversed() {
            guard let beat = try? Heartbeat.decode(entry.fields) else { continue }
            monitor.record(beat)
            latest = max(latest, beat.createdAt)
            if let wall = beat.wallClock { snapshot.lastWallBeat = max(snapshot.lastWallBeat ?? wall, wall) }
        }
        for entry in try await log.reverseRange(StreamName.serviceEvent, from: .max, to: .zero, count: 1_000).reversed() {
            HealthMonitorService.apply(event: entry.fields, to: &monitor)
            if let ts = entry.fields["ts"].flatMap(Int64.init) { latest = max(latest, EpochMillis(ts)) }
        }
        snapshot.asOf = latest
        snapshot.services = monitor.assessAll(expected: [], at: latest).map { health in
            SystemSnapshot.ServiceState(
                service: health.service, verdict: health.verdict,
                heartbeatAge: health.lastBeat.map { Double(latest.rawValue - $0.createdAt.rawValue) / 1_000 },
                restarts: health.restartsTotal, processed: health.lastBeat?.processed ?? 0, lag: health.lastBeat?.lag)
        }
    }

    private func readPositions(into snapshot: inout SystemSnapshot) async throws {
        for key in try await store.keys(prefix: StateKey.positionPrefix) {
            guard let record = try? PositionRecord.decode(try await store.fields(key)) else { continue }
            let mark = MarketStateHash(fields: try await store.fields(StateKey.marketState(record.symbol))).price
            var pnl: Notional?
            if let mark, let value = try? mark.notional(of: record.quantity, rounding: .towardZero),
               let cost = try? record.entryPrice.notional(of: record.quantity, rounding: .towardZero) {
                pnl = record.direction == .long ? try? value - cost : try? cost - value
            }
            let r = mark.flatMap { RMultiple.compute(direction: record.direction, entry: record.entryPrice, mark: $0, riskPerUnit: record.initialRisk) }
            snapshot.positions.append(.init(record: record, markPrice: mark, unrealizedPnL: pnl, r: r,
                                            stopLive: record.stopLoss != nil && snapshot.unprotected[record.symbol.rawValue] == nil))
        }
        snapshot.positions.sort { $0.record.symbol.rawValue < $1.record.symbol.rawValue }
    }
}
