import Logging
import QuantumBus
import QuantumCore

/// The executor's positions: the only writer of `quantum:position:{SYMBOL}` and `quantum:epoch:{SYMBOL}` (invariant 1).
///
/// Loaded from the store at start; every change is one atomic store update that also carries the
/// plan's terminal journal entry, so a crash can never leave a position changed without its result
/// recorded, or the reverse. Callers hold the symbol's lock.
actor PositionBook {
    private let store: any StateStore
    private var positions: [Symbol: PositionRecord] = [:]
    private var epochs: [Symbol: PositionEpoch] = [:]

    init(store: any StateStore) {
        self.store = store
    }

    /// Reads every stored position and epoch; a record that does not decode is reported and left for reconciliation to replace.
    func load(logger: Logger) async throws {
        positions = [:]
        epochs = [:]
        for key in try await store.keys(prefix: StateKey.positionPrefix) {
            let fields = try await store.fields(key)
            do {
                let record = try PositionRecord.decode(fields)
                positions[record.symbol] = record
            } catch {
                logger.error("stored position does not decode; reconciliation will adopt the exchange's", metadata: ["key": "\(key)", "error": "\(error)"])
            }
        }
        for key in try await store.keys(prefix: "quantum:epoch:") {
            guard let symbol = Symbol(rawValue: String(key.dropFirst("quantum:epoch:".count))),
                  let raw = try await store.get(key).flatMap(UInt64.init), let epoch = PositionEpoch(rawValue: raw) else { continue }
            epochs[symbol] = epoch
        }
        try await restoreLostEpochs(logger: logger)
    }

    /// An epoch key that was lost or set back (an operator's DEL, a restore from an older backup) would make the next
    /// open reuse an earlier epoch's plan and client order ids. The highest epoch a position or an executed open's
    /// journal entry names is the floor, written back so the bridge plans the right epoch too. (An open that executed
    /// nothing did not use its epoch: its next attempt may.)
    private func restoreLostEpochs(logger: Logger) async throws {
        var floor: [Symbol: PositionEpoch] = [:]
        for record in positions.values { floor[record.symbol] = max(floor[record.symbol] ?? record.epoch, record.epoch) }
        let prefix = StateKey.journal("open:")
        for key in try await store.keys(prefix: prefix) {
            // open:SYMBOL:DIRECTION:eN[:aK]
            let parts = key.dropFirst(prefix.count).split(separator: ":")
            guard parts.count >= 3, let symbol = Symbol(rawValue: String(parts[0])), parts[2].first == "e",
                  let raw = UInt64(parts[2].dropFirst()), let epoch = PositionEpoch(rawValue: raw), floor[symbol].map({ epoch > $0 }) ?? true,
                  try await store.fields(key)["result.decision"] == ResultDecision.executed.rawValue else { continue }
            floor[symbol] = max(floor[symbol] ?? epoch, epoch)
        }
        for (symbol, epoch) in floor where epochs[symbol].map({ epoch > $0 }) ?? true {
            logger.error("the epoch of \(symbol) was behind its journal; restored so no client order id repeats", metadata: [
                "symbol": "\(symbol)", "stored": "\(epochs[symbol].map { "\($0)" } ?? "none")", "restored": "\(epoch)"])
            try await store.set(StateKey.epoch(symbol), value: String(epoch.rawValue), ttl: nil)
            epochs[symbol] = epoch
        }
    }

    func position(_ symbol: Symbol) -> PositionRecord? { positions[symbol] }

    var all: [Symbol: PositionRecord] { positions }

    /// The last epoch opened on the symbol (`nil`: never).
    func lastEpoch(_ symbol: Symbol) -> PositionEpoch? { epochs[symbol] }

    /// The epoch the next open of the symbol starts.
    func nextEpoch(_ symbol: Symbol) -> PositionEpoch { epochs[symbol]?.next ?? .first }

    /// Writes the symbol's position (`nil`: flat) and epoch together with `extra` mutations, atomically.
    func commit(_ symbol: Symbol, record: PositionRecord?, epoch: PositionEpoch? = nil, extra: [StateMutation] = []) async throws {
        let key = StateKey.position(symbol)
        var mutations: [StateMutation] = [.delete(key: key)]
        if let record { mutations.append(.setFields(key: key, fields: record.encoded())) }
        if let epoch { mutations.append(.setString(key: StateKey.epoch(symbol), value: String(epoch.rawValue), ttl: nil)) }
        try await store.update(mutations + extra)
        positions[symbol] = record
        if let epoch { epochs[symbol] = max(epoch, epochs[symbol] ?? epoch) }
    }
}
