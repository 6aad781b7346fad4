import QuantumCore

/// Several state keys read at one instant, in one call.
///
/// A decision that needs five keys reads them together: on Redis that is one round trip instead of five, and the values
/// agree with each other (no write lands between two of them).
public struct StateSnapshot: Hashable, Sendable {
    /// A live key's value.
    public enum Value: Hashable, Sendable {
        case string(String)
        case fields([String: String])
    }

    /// The keys that were read.
    public let keys: Set<String>
    /// The value of each key read that was live; a key read and absent here was absent or expired.
    public let values: [String: Value]

    /// A snapshot of `keys` holding `values` (keys outside `keys` are dropped).
    public init(keys: Set<String>, values: [String: Value]) {
        self.keys = keys
        self.values = values.filter { keys.contains($0.key) }
    }

    /// The string value of `key`, `nil` if absent; `.wrongType` if it holds a hash.
    public func string(_ key: String) throws -> String? {
        switch try value(key) {
        case nil: return nil
        case .string(let value)?: return value
        case .fields?: throw StateStoreError(.wrongType, "\(key) holds a hash, not a string")
        }
    }

    /// The fields of the hash `key` (empty if absent); `.wrongType` if it holds a string.
    public func fields(_ key: String) throws -> [String: String] {
        switch try value(key) {
        case nil: return [:]
        case .fields(let fields)?: return fields
        case .string?: throw StateStoreError(.wrongType, "\(key) holds a string, not a hash")
        }
    }

    /// The value of `key`; reading a key the snapshot was not asked for is a caller's mistake, reported, never `nil`.
    private func value(_ key: String) throws -> Value? {
        guard keys.contains(key) else { throw StateStoreError(.invalidArgument, "\(key) is not in the snapshot") }
        return values[key]
    }
}

extension StateSlots {
    /// The live values of `keys` at `now`.
    mutating func snapshot(_ keys: [String], now: EpochMillis) throws -> StateSnapshot {
        var values: [String: StateSnapshot.Value] = [:]
        for key in Set(keys) {
            switch try live(key, now: now)?.value {
            case nil: continue
            case .string(let value)?: values[key] = .string(value)
            case .hash(let fields)?: values[key] = .fields(fields)
            }
        }
        return StateSnapshot(keys: Set(keys), values: values)
    }
}
