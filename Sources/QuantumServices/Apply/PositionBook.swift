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
