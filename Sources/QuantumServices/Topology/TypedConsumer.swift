import QuantumBus
import QuantumCore

/// One consumer of one group, reading typed messages: what every consuming service uses.
///
/// Malformed entries (unknown type, bad field) are dead-lettered with their decoding error and never
/// reach the service (FM-10, FM-33, FM-35); entries delivered `maxDeliveries` times without an
/// acknowledgement (a poison entry that crashes its handler) go the same way (invariant 9).
/// The consumer name is stable, so a restarted process takes back its own pending entries first.
public struct TypedConsumer<Message: BusMessage>: Sendable {
    public let log: any EventLog
    public let stream: String
    public let group: String
    public let consumer: String
    public var maxDeliveries = 5

    public init(log: any EventLog, stream: String, group: String, consumer: String) {
        self.log = log
        self.stream = stream
        self.group = group
        self.consumer = consumer
    }

    /// A decoded delivery.
    public struct Item: Sendable {
        public var id: EntryID
        public var message: Message
        public var deliveryCount: Int
    }

    /// Creates the group at the stream's tail if it does not exist (fresh events only, FM-06).
    public func prepare() async throws {
        try await log.createGroup(stream, group: group, start: .tail)
    }

    /// Entries this group delivered and never acknowledged, taken over by this consumer: at once when they were all
    /// this consumer's own (its previous run died), else only those idle for `staleAfter` (a peer that died, FM-30).
    ///
    /// Entries in `inHand` (delivered to this process and still being handled) are left alone: neither claimed, which
    /// would count a delivery that never happened, nor dead-lettered as exhausted while they are being executed. Each
    /// other entry delivered `maxDeliveries` times goes to the dead letters.
    public func reclaim(count: Int = 256, staleAfter: Duration = .seconds(60), inHand: Set<EntryID> = []) async throws -> [Item] {
        var pending = try await log.pending(stream, group: group).filter { !inHand.contains($0.id) }
        for entry in pending where entry.deliveryCount >= maxDeliveries {
            do {
                try await log.deadLetter(stream, group: group, id: entry.id,
                                         reason: "delivered \(entry.deliveryCount) times (max \(maxDeliveries))")
            } catch let error as EventLogError where error.code == .notPending {
                continue  // acknowledged meanwhile
            }
        }
        pending.removeAll { $0.deliveryCount >= maxDeliveries }
        let minIdle: Duration = pending.allSatisfy { $0.consumer == consumer } ? .zero : staleAfter
        let candidates = pending.filter { $0.idle >= minIdle }.prefix(count).map(\.id)
        guard !candidates.isEmpty else { return [] }
        return try await decode(log.claim(stream, group: group, consumer: consumer, ids: Array(candidates), minIdle: minIdle))
    }

    /// New entries, waiting up to `wait` for one.
    public func next(count: Int, wait: Duration?) async throws -> [Item] {
        try await decode(log.readNew(stream, group: group, consumer: consumer, count: count, wait: wait))
    }

    public func acknowledge(_ id: EntryID) async throws {
        try await log.acknowledge(stream, group: group, ids: [id])
    }

    /// Entries not yet delivered to the group.
    public func lag() async throws -> Int {
        try await log.lag(stream, group: group) ?? 0
    }

    private func decode(_ deliveries: [Delivery]) async throws -> [Item] {
        var items: [Item] = []
        for delivery in deliveries {
            do throws(MessageDecodingError) {
                let message = try Message.decode(delivery.entry.fields)
                items.append(Item(id: delivery.entry.id, message: message, deliveryCount: delivery.deliveryCount))
            } catch {
                try await log.deadLetter(stream, group: group, id: delivery.entry.id, reason: "\(error)")
            }
        }
        return items
    }
}
