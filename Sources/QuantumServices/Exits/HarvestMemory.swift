import QuantumCore

/// What the harvest service sent and the executor has not recorded yet, per position epoch.
///
/// The executor persists taken rungs and the placed stop in the position record, but only after
/// its order fills; until then the service must not ask again, nor take the next rung off a size
/// that is about to shrink (which would take more than the ladder says). Sent rungs and stops count
/// as done for `resendAfter`; a rung that was reached but rounds to nothing counts as done for the
/// rest of the epoch, since there is nothing to retry. Memory only: after a restart the executor's
/// plan identity makes a repeat harmless.
struct HarvestMemory: Sendable {
    private struct Position: Hashable, Sendable {
        var symbol: Symbol
        var epoch: PositionEpoch
    }

    private struct Entry: Sendable {
        var rungsSent: [Int: EpochMillis] = [:]
        var rungsMarked: Set<Int> = []
        var stopSent: (price: Price, at: EpochMillis)?
    }

    let resendAfter: Duration
    private var entries: [Position: Entry] = [:]

    init(resendAfter: Duration) {
        self.resendAfter = resendAfter
    }

    /// `position` as the decider should see it: recently sent and marked rungs taken, a recently sent tighter stop placed.
    func effective(_ position: PositionRecord, now: EpochMillis) -> PositionRecord {
        guard let entry = entries[key(position)] else { return position }
        var view = position
        let sent = entry.rungsSent.filter { isRecent($0.value, now) }.keys
        view.rungsTaken = Set(position.rungsTaken).union(sent).union(entry.rungsMarked).sorted()
        if let stop = entry.stopSent, isRecent(stop.at, now) {
            let long = position.direction == .long
            if position.stopLoss.map({ long ? stop.price > $0 : stop.price < $0 }) ?? true { view.stopLoss = stop.price }
        }
        return view
    }

    /// Whether a rung was sent recently and the position does not show it yet: its reduce is still in flight.
    func rungInFlight(_ position: PositionRecord, now: EpochMillis) -> Bool {
        guard let entry = entries[key(position)] else { return false }
        return entry.rungsSent.contains { isRecent($0.value, now) && !position.rungsTaken.contains($0.key) }
    }

    mutating func rungSent(_ rung: Int, for position: PositionRecord, at now: EpochMillis) {
        entries[key(position), default: Entry()].rungsSent[rung] = now
    }

    mutating func rungsMarked(_ rungs: [Int], for position: PositionRecord) {
        entries[key(position), default: Entry()].rungsMarked.formUnion(rungs)
    }

    mutating func stopSent(_ price: Price, for position: PositionRecord, at now: EpochMillis) {
        entries[key(position), default: Entry()].stopSent = (price, now)
    }

    /// Forgets other epochs of the position's symbol: a new position starts with a clean slate.
    mutating func observe(_ position: PositionRecord) {
        entries = entries.filter { $0.key.symbol != position.symbol || $0.key.epoch == position.epoch }
    }

    private func key(_ position: PositionRecord) -> Position {
        Position(symbol: position.symbol, epoch: position.epoch)
    }

    private func isRecent(_ sentAt: EpochMillis, _ now: EpochMillis) -> Bool {
        now.duration(since: sentAt) < resendAfter
    }
}
