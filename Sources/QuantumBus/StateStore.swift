import QuantumCore

/// One change inside an atomic state update.
public enum StateMutation: Hashable, Sendable {
    /// Sets a string key, with an optional time to live.
    case setString(key: String, value: String, ttl: Duration?)
    /// Sets fields of a hash (creating it), leaving other fields alone.
    case setFields(key: String, fields: [String: String])
    /// Removes fields of a hash.
    case removeFields(key: String, fields: [String])
    /// Deletes a key of any type.
    case delete(key: String)
    /// Adds to an integer counter (created at 0).
    case increment(key: String, by: Int64)
}

/// A precondition of an atomic state update.
public enum StateCondition: Hashable, Sendable {
    /// The string key holds exactly this value (`nil`: the key is absent).
    case stringEquals(key: String, value: String?)
    /// The hash field holds exactly this value (`nil`: the field or hash is absent).
    case fieldEquals(key: String, field: String, value: String?)
    /// The key (of any type) does not exist.
    case absent(key: String)
}

/// Key/value state shared by services: strings, hashes and counters with expiry, and atomic updates.
///
/// Each key pattern has exactly one writer (invariant 1); the store makes each call atomic.
/// Expiry is measured on the store's injected clock.
public protocol StateStore: Sendable {
    /// A string key's value, `nil` if absent or expired.
    func get(_ key: String) async throws -> String?
    /// Sets a string key, replacing any value (of any type), with an optional time to live.
    func set(_ key: String, value: String, ttl: Duration?) async throws
    /// Sets a string key only if it is absent; `true` if it was set (a claim, a dedupe latch).
    func setIfAbsent(_ key: String, value: String, ttl: Duration?) async throws -> Bool
    /// Replaces the value only if it currently equals `expected` (`nil`: absent); `new == nil` deletes.
    ///
    /// A replaced key keeps its expiry.
    func compareAndSet(_ key: String, expected: String?, new: String?) async throws -> Bool
    /// Adds to an integer counter and returns the new value; `ttl` is applied when the counter is created.
    func increment(_ key: String, by delta: Int64, ttl: Duration?) async throws -> Int64

    /// All fields of a hash (empty if absent).
    func fields(_ key: String) async throws -> [String: String]
    /// The live values of several keys read together, at one instant (on a networked store, in one round trip).
    func snapshot(_ keys: [String]) async throws -> StateSnapshot
    /// Sets fields of a hash, leaving other fields alone.
    func setFields(_ key: String, _ fields: [String: String]) async throws

    /// Deletes a key of any type; `true` if it existed.
    @discardableResult
    func delete(_ key: String) async throws -> Bool
    /// Live keys starting with `prefix`, sorted.
    func keys(prefix: String) async throws -> [String]

    /// Applies every mutation, in order, atomically, if every condition holds; `false` (and no change) otherwise.
    func update(when conditions: [StateCondition], _ mutations: [StateMutation]) async throws -> Bool
    /// `update(when:_:)`, then a `snapshot` of `keys` taken after it: one round trip on a networked store, for a step
    /// that writes and then needs to read (a claim, then the guards the claimed plan is judged by).
    func update(when conditions: [StateCondition], _ mutations: [StateMutation], thenReading keys: [String]) async throws
        -> (applied: Bool, snapshot: StateSnapshot)
}

extension StateStore {
    /// The update, then the snapshot, as two calls (a store that can do both in one overrides this).
    public func update(when conditions: [StateCondition], _ mutations: [StateMutation], thenReading keys: [String]) async throws
        -> (applied: Bool, snapshot: StateSnapshot) {
        let applied = try await update(when: conditions, mutations)
        return (applied, try await snapshot(keys))
    }

    /// Applies mutations atomically with no preconditions.
    public func update(_ mutations: [StateMutation]) async throws {
        _ = try await update(when: [], mutations)
    }
}

/// Errors every state store backend reports.
public struct StateStoreError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The key exists with another type (a hash read as a string, say).
        case wrongType = "wrong_type"
        /// A counter holds a value that is not an integer, or would overflow.
        case notAnInteger = "not_an_integer"
        /// An argument is out of range (an empty key, a non-positive time to live).
        case invalidArgument = "invalid_argument"
        case backendFailure = "backend_failure"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
