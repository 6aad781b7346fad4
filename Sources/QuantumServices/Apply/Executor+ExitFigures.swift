import QuantumBus
import QuantumCore

/// The harvest figures (exits by reason, winners scaled, losers cut, R captured), counted in the same
/// atomic store update as the fill they describe, so they can never disagree with the positions.
extension Executor {
    /// Reasons of an exit plan that cut a loser before its stop.
    static let cuttingReasons: Set<ExitReason> = [.killScore, .emergency, .timeLimit]

    /// One executed exit, counted by its reason word.
    func exitCounters(_ plan: Plan) -> [StateMutation] {
        exitCounters(reason: plan.exitReason?.rawValue ?? ExitReason.manual.rawValue)
    }

    func exitCounters(reason word: String) -> [StateMutation] {
        [.increment(key: StateKey.stat(.exitsExecuted), by: 1), .increment(key: StateKey.exitsByReason(word), by: 1)]
    }

    /// The counters a fill on `before` adds: a first rung scales a winner; a close records the epoch's R,
    /// and a loss closed by exit-brain (not by the stop) is a loser cut.
    static func positionFigures(before: PositionRecord, after: PositionTransition.Outcome, reason: ExitReason?, rung: Int?) -> [StateMutation] {
        var mutations: [StateMutation] = []
        if rung != nil, before.rungsTaken.isEmpty { mutations.append(.increment(key: StateKey.stat(.winnersScaled), by: 1)) }
        if let net = after.closedNet {
            mutations.append(.increment(key: StateKey.stat(.positionsClosed), by: 1))
            if let r = capturedR(net: net, record: before) {
                mutations.append(.increment(key: StateKey.stat(.rCapturedMicros), by: Int64((r * 1_000_000).rounded())))
                if r < 0, let reason, cuttingReasons.contains(reason) { mutations.append(.increment(key: StateKey.stat(.losersCut), by: 1)) }
            }
        }
        return mutations
    }

    /// The R an epoch captured: its net result over the risk it took (initial risk per unit × peak size).
    static func capturedR(net: Notional, record: PositionRecord) -> Double? {
        guard let risk = try? record.initialRisk.notional(of: record.peakQuantity), risk.isPositive else { return nil }
        let r = net.doubleValue / risk.doubleValue
        return r.isFinite ? max(-1_000, min(1_000, r)) : nil
    }
}
