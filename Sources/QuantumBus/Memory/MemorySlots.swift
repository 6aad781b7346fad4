import QuantumCore

/// The keys of an in-memory state store, with an undo log that makes a multi-step change all-or-nothing.
struct MemorySlots: StateSlots {
    private(set) var slots: [String: StateSlot] = [:]
    private var undo: [(key: String, previous: StateSlot?)]?
    private var writesSinceSweep = 0

    mutating func slot(_ key: String) -> StateSlot? { slots[key] }

    mutating func store(_ key: String, _ slot: StateSlot?) {
        undo?.append((key, slots[key]))
        slots[key] = slot
    }

    /// Runs `body`; if it throws, every slot it stored is restored before the error propagates.
    ///
    /// Every few hundred calls it also sweeps expired keys, so unique keys with a ttl do not pile up.
    mutating func atomically<T>(now: EpochMillis, _ body: (inout MemorySlots) throws -> T) throws -> T {
        writesSinceSweep += 1
        if writesSinceSweep >= 256 {
            writesSinceSweep = 0
            slots = slots.filter { !$0.value.isExpired(at: now) }
        }
        undo = []
        defer { undo = nil }
        do {
            return try body(&self)
        } catch {
            for (key, previous) in (undo ?? []).reversed() { slots[key] = previous }
            throw error
        }
    }

    /// Live keys starting with `prefix`, in byte order (the order SQLite uses).
    func keys(prefix: String, now: EpochMillis) -> [String] {
        slots.filter { $0.key.utf8.starts(with: prefix.utf8) && !$0.value.isExpired(at: now) }
            .map(\.key)
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
