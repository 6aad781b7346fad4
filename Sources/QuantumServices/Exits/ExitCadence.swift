import QuantumBus
import QuantumCore

/// Wakes an exit service on each new closed bar on `marketstate`, and at least every `interval`.
///
/// Bars are read through the service's own consumer group, created at the tail so a restart never
/// replays old bars (FM-06); the entries are only a trigger, so each is acknowledged as soon as it is read.
struct ExitCadence: Sendable {
    /// A symbol's latest closed bar among the entries read: when it closed, and its close when the entry names one.
    struct SeenBar: Hashable, Sendable {
        var closeTime: EpochMillis
        var close: Price?
    }

    let log: any EventLog
    let group: String
    let consumer: String
    let interval: Duration

    /// Creates the group (fresh bars only) and acknowledges what this consumer left pending in a previous run; returns
    /// the latest bar of each symbol already on the stream (of the last `recent` entries), which the service's first
    /// pass judges: the group delivers only the bars after them.
    func prepare(recent: Int) async throws -> [Symbol: SeenBar] {
        try await log.createGroup(StreamName.marketState, group: group, start: .tail)
        let leftovers = try await log.pending(StreamName.marketState, group: group).filter { $0.consumer == consumer }.map(\.id)
        if !leftovers.isEmpty { try await log.acknowledge(StreamName.marketState, group: group, ids: leftovers) }
        return Self.latestBars(try await log.reverseRange(StreamName.marketState, from: .max, to: .zero, count: max(recent, 1)).map(\.fields))
    }

    /// Symbol → its latest bar among `entries`; entries that name no symbol or close time are passed over.
    static func latestBars(_ entries: [[String: String]]) -> [Symbol: SeenBar] {
        var bars: [Symbol: SeenBar] = [:]
        for fields in entries {
            let reader = FieldReader(fields)
            guard let symbol = try? reader.symbol(), let closeTime = try? reader.time("close_time") else { continue }
            if let seen = bars[symbol], seen.closeTime >= closeTime { continue }
            bars[symbol] = SeenBar(closeTime: closeTime, close: fields["close"].flatMap(Price.init).flatMap { $0.isPositive ? $0 : nil })
        }
        return bars
    }

    /// Waits for new bars or the interval, whichever comes first; returns the bars that arrived (symbol → the latest close
    /// bar; empty on a timeout). Entries that name no symbol or close time wake the service all the same.
    func next() async throws -> [Symbol: SeenBar] {
        let deliveries = try await log.readNew(StreamName.marketState, group: group, consumer: consumer, count: 256, wait: interval)
        if !deliveries.isEmpty { try await log.acknowledge(StreamName.marketState, group: group, ids: deliveries.map(\.entry.id)) }
        return Self.latestBars(deliveries.map(\.entry.fields))
    }

    /// Reports `bars` (from `next()`) judged at `stage`, now that the pass after them is done.
    static func judged(_ bars: [Symbol: SeenBar], _ stage: MarketWatermarks.Stage, on watermarks: MarketWatermarks?) {
        guard let watermarks else { return }
        for (symbol, bar) in bars { watermarks.advance(stage, symbol, to: bar.closeTime) }
    }

    /// Bars not yet read by the group.
    func lag() async throws -> Int? {
        try await log.lag(StreamName.marketState, group: group)
    }
}
