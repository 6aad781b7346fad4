import QuantumBus
import QuantumCore

/// Waits for entries on a stream through a consumer group of its own: event-driven, no sleeping.
struct StreamWatcher: Sendable {
    let log: any EventLog
    let stream: String
    let group: String

    /// A watcher that sees entries appended from now on (or every entry with `fromStart`).
    static func start(_ log: any EventLog, _ stream: String, fromStart: Bool = false) async throws -> StreamWatcher {
        let group = "watch-\(UInt64.random(in: 0...UInt64.max))"
        try await log.createGroup(stream, group: group, start: fromStart ? .beginning : .tail)
        return StreamWatcher(log: log, stream: stream, group: group)
    }

    /// The next entry matching `predicate` (entries before it are skipped).
    func next(_ predicate: ([String: String]) -> Bool = { _ in true }) async throws -> [String: String] {
        while true {
            try Task.checkCancellation()
            for delivery in try await log.readNew(stream, group: group, consumer: "watcher", count: 1, wait: .seconds(3_600)) {
                try await log.acknowledge(stream, group: group, ids: [delivery.entry.id])
                if predicate(delivery.entry.fields) { return delivery.entry.fields }
            }
        }
    }

    /// The next result of a plan.
    func result(_ planID: String) async throws -> ApplyResult {
        try ApplyResult.decode(try await next { $0["plan_id"] == planID })
    }
}
