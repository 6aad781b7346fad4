import QuantumCore

/// The stored value of one state key, with its expiry.
struct StateSlot: Hashable, Sendable {
    enum Value: Hashable, Sendable {
        case string(String)
        case hash([String: String])
    }

    var value: Value
    var expiresAt: EpochMillis?

    /// Whether the slot has expired at `now`.
    func isExpired(at now: EpochMillis) -> Bool {
        if let expiresAt { return expiresAt <= now }
        return false
    }
}

/// Raw slot storage a state store backend provides; the store semantics live in the extension.
///
/// Writing the semantics once over this small interface keeps the in-memory and SQLite stores
/// identical. `slot` may return an expired slot; the extension treats it as absent.
protocol StateSlots {
    /// The stored slot of `key`, expired or not.
    mutating func slot(_ key: String) throws -> StateSlot?
    /// Replaces (or with `nil` removes) the slot of `key`.
    mutating func store(_ key: String, _ slot: StateSlot?) throws
}

extension StateSlots {
    /// The live slot of `key` at `now`, `nil` if absent or expired.
    mutating func live(_ key: String, now: EpochMillis) throws -> StateSlot? {
        guard let slot = try slot(key), !slot.isExpired(at: now) else { return nil }
        return slot
    }

    /// The string value of `key`; `.wrongType` if it holds a hash.
    mutating func string(_ key: String, now: EpochMillis) throws -> String? {
        switch try live(key, now: now)?.value {
        case nil: return nil
        case let .string(value)?: return value
        case .hash?: throw StateStoreError(.wrongType, "\(key) holds a hash, not a string")
        }
    }

    /// The fields of the hash `key` (empty if absent); `.wrongType` if it holds a string.
    mutating func hash(_ key: String, now: EpochMillis) throws -> [String: String] {
        switch try live(key, now: now)?.value {
        case nil: return [:]
        case let .hash(fields)?: return fields
        case .string?: throw StateStoreError(.wrongType, "\(key) holds a string, not a hash")
        }
    }

    /// Whether a condition holds at `now`.
    mutating func holds(_ condition: StateCondition, now: EpochMillis) throws -> Bool {
        switch condition {
        case let .stringEquals(key, value): try string(key, now: now) == value
        case let .fieldEquals(key, field, value): try hash(key, now: now)[field] == value
        case let .absent(key): try live(key, now: now) == nil
        }
    }

    /// Sets `key` only if it is absent; `true` if set.
    mutating func setIfAbsent(_ key: String, value: String, ttl: Duration?, now: EpochMillis) throws -> Bool {
        guard try live(key, now: now) == nil else { return false }
        try store(key, StateSlot(value: .string(value), expiresAt: now.expiry(after: ttl)))
        return true
    }

    /// Replaces the string value if it equals `expected` (keeping the key's expiry); `new == nil` deletes.
    mutating func compareAndSet(_ key: String, expected: String?, new: String?, now: EpochMillis) throws -> Bool {
        let current = try live(key, now: now)
        let currentValue: String? = switch current?.value {
        case nil: nil
        case let .string(value)?: value
        case .hash?: throw StateStoreError(.wrongType, "\(key) holds a hash, not a string")
        }
        guard currentValue == expected else { return false }
        if let new {
            try store(key, StateSlot(value: .string(new), expiresAt: current?.expiresAt))
        } else if current != nil {
            try store(key, nil)
        }
        return true
    }

    /// Adds to an integer counter and returns the new value; `ttl` applies when the counter is created.
    mutating func increment(_ key: String, by delta: Int64, ttl: Duration?, now: EpochMillis) throws -> Int64 {
        let current = try live(key, now: now)
        let (base, expiresAt): (Int64, EpochMillis?) = switch current?.value {
        case nil: (0, now.expiry(after: ttl))
        case let .string(text)?:
            if let value = Int64(text) { (value, current?.expiresAt) } else {
                throw StateStoreError(.notAnInteger, "\(key) holds \"\(text)\", not an integer")
            }
        case .hash?: throw StateStoreError(.wrongType, "\(key) holds a hash, not a counter")
        }
        let (sum, overflow) = base.addingReportingOverflow(delta)
        if overflow { throw StateStoreError(.notAnInteger, "incrementing \(key) by \(delta) overflows") }
        try store(key, StateSlot(value: .string(String(sum)), expiresAt: expiresAt))
        return sum
    }

    /// Deletes `key`; `true` if it was live.
    mutating func delete(_ key: String, now: EpochMillis) throws -> Bool {
        guard let stored = try slot(key) else { return false }
        try store(key, nil)
        return !stored.isExpired(at: now)
    }

    /// Applies one mutation at `now`.
    mutating func apply(_ mutation: StateMutation, now: EpochMillis) throws {
        switch mutation {
        case let .setString(key, value, ttl):
            try store(key, StateSlot(value: .string(value), expiresAt: now.expiry(after: ttl)))
        case let .setFields(key, fields):
            let current = try live(key, now: now)
            let merged = try hash(key, now: now).merging(fields) { _, new in new }
            if !merged.isEmpty { try store(key, StateSlot(value: .hash(merged), expiresAt: current?.expiresAt)) }
        case let .removeFields(key, fields):
            guard let current = try live(key, now: now) else { return }
            var remaining = try hash(key, now: now)
            for field in fields { remaining[field] = nil }
            try store(key, remaining.isEmpty ? nil : StateSlot(value: .hash(remaining), expiresAt: current.expiresAt))
        case let .delete(key):
            _ = try delete(key, now: now)
        case let .increment(key, delta):
            _ = try increment(key, by: delta, ttl: nil, now: now)
        }
    }

    /// Applies every mutation in order if every condition holds; `false` if one does not.
    ///
    /// The caller makes this atomic (a transaction, or an undo log) so a mutation that throws changes nothing.
    mutating func update(when conditions: [StateCondition], _ mutations: [StateMutation], now: EpochMillis) throws -> Bool {
        for condition in conditions {
            if try !holds(condition, now: now) { return false }
        }
        for mutation in mutations { try apply(mutation, now: now) }
        return true
    }
}

extension StateMutation {
    /// Checks the mutation's key and time to live.
    func validate() throws(StateStoreError) {
        switch self {
        case let .setString(key, _, ttl): try BusArguments.key(key, ttl: ttl)
        case let .setFields(key, _), let .removeFields(key, _), let .delete(key), let .increment(key, _):
            try BusArguments.key(key)
        }
    }
}

extension EpochMillis {
    /// When something living `ttl` from this instant expires (at least a millisecond later); `nil` for no ttl.
    func expiry(after ttl: Duration?) -> EpochMillis? {
        guard let ttl else { return nil }
        return advanced(by: max(ttl, .milliseconds(1)))
    }
}
