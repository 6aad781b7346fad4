import QuantumBus
import QuantumCore

/// The one kill switch (FM-43): halt opens, allow exits. Written only by the operator's commands.
///
/// It lives in the data plane (`quantum:guard:kill_switch`), so every executor process reads the
/// same switch on every open, and it survives restarts.
public struct KillSwitch: Sendable {
    public let store: any StateStore

    public init(store: any StateStore) {
        self.store = store
    }

    /// The switch's state.
    public struct State: Hashable, Sendable {
        public var active: Bool
        public var reason: String?
        public var since: EpochMillis?
        /// Symbols whose opens reconciliation halted, with the reason.
        public var haltedSymbols: [Symbol: String]
        /// When each drift halt lifts (a halt set by hand has none: it waits for `quantum resume`).
        public var haltsLift: [Symbol: EpochMillis] = [:]
    }

    public func halt(reason: String, at now: EpochMillis) async throws {
        try await store.update([
            .delete(key: StateKey.killSwitch),
            .setFields(key: StateKey.killSwitch, fields: ["active": "true", "reason": reason, "since": String(now.rawValue)]),
        ])
    }

    /// Releases the switch (and, with `symbols`, the reconciliation halts of those symbols).
    public func resume(symbols: [Symbol] = []) async throws {
        try await store.update([.delete(key: StateKey.killSwitch)] + symbols.map { .delete(key: StateKey.symbolHalt($0)) })
    }

    public func state() async throws -> State {
        let fields = try await store.fields(StateKey.killSwitch)
        var halted: [Symbol: String] = [:]
        var lifts: [Symbol: EpochMillis] = [:]
        for key in try await store.keys(prefix: StateKey.symbolHaltPrefix) {
            guard let symbol = Symbol(rawValue: String(key.dropFirst(StateKey.symbolHaltPrefix.count))) else { continue }
            let halt = try await store.fields(key)
            halted[symbol] = halt["reason"] ?? "halted"
            lifts[symbol] = halt["until"].flatMap(Int64.init).map { EpochMillis($0) }
        }
        return State(active: fields["active"] == "true", reason: fields["reason"],
                     since: fields["since"].flatMap(Int64.init).map { EpochMillis($0) }, haltedSymbols: halted, haltsLift: lifts)
    }
}
