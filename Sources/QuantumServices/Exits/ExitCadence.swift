import QuantumBus
import QuantumCore

/// Wakes an exit service on each new closed bar on `marketstate`, and at least every `interval`.
///
/// Bars are read through the service's own consumer group, created at the tail so a restart never
/// replays old bars (FM-06); the entries are only a trigger, so each is acknowledged as soon as it is read.
struct ExitCadence: Sendable {
    let log: any EventLog
    let group: String
    let consumer: String
    let interval: Duration

    /// Creates the group (fresh bars only) and acknowledges what this consumer left pending in a previous run.
    func prepare() async throws {
        try await log.createGroup(StreamName.marketState, group: group, start: .tail)
        let leftovers = try await log.pending(StreamName.marketState, group: group).filter { $0.consumer == consumer }.map(\.id)
        if !leftovers.isEmpty { try await log.acknowledge(StreamName.marketState, group: group, ids: leftovers) }
    }

    /// Waits for new bars or the interval, whichever comes first; returns how many bars arrived (0 on a timeout).
    func next() async throws -> Int {
        let deliveries = try await log.readNew(StreamName.marketState, group: group, consumer: consumer, count: 256, wait: interval)
        if !deliveries.isEmpty { try await log.acknowledge(StreamName.marketState, group: group, ids: deliveries.map(\.entry.id)) }
        return deliveries.count
    }

    /// Bars not yet read by the group.
    func lag() async throws -> Int? {
        try await log.lag(StreamName.marketState, group: group)
    }
}
