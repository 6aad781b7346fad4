import QuantumBus
import QuantumCore
import Testing

/// Makes a fresh, empty state store under test whose clock is `clock`.
public typealias StateStoreFactory = @Sendable (ManualEpochClock) async throws -> any StateStore

/// One named check of the state store contract.
public typealias StateStoreCheck = ContractCheck<StateStoreFactory>

/// The contract every `StateStore` backend passes, written once.
///
/// Expiry is driven by advancing a `ManualEpochClock`.
public enum StateStoreContract {
    /// Every check of the contract.
    public static let checks: [StateStoreCheck] = [
        StateStoreCheck(name: "get and set strings", run: getAndSet),
        StateStoreCheck(name: "keys expire on the clock", run: keysExpire),
        StateStoreCheck(name: "setIfAbsent sets once", run: setIfAbsentSetsOnce),
        StateStoreCheck(name: "compareAndSet swaps only on a match", run: compareAndSetSwaps),
        StateStoreCheck(name: "increment counts", run: incrementCounts),
        StateStoreCheck(name: "increment rejects non-integers and overflow", run: incrementRejectsNonIntegers),
        StateStoreCheck(name: "hashes merge fields", run: hashesMergeFields),
        StateStoreCheck(name: "wrong types are reported", run: wrongTypes),
        StateStoreCheck(name: "delete removes any key", run: deleteRemovesKeys),
        StateStoreCheck(name: "keys lists live keys by prefix", run: keysByPrefix),
        StateStoreCheck(name: "a snapshot reads several keys as get and fields do", run: snapshotReadsKeys),
        StateStoreCheck(name: "an update then a reading sees the update", run: updateThenReading),
        StateStoreCheck(name: "update applies mutations in order", run: updateAppliesInOrder),
        StateStoreCheck(name: "update with a failing condition changes nothing", run: updateConditionFails),
        StateStoreCheck(name: "update with a failing mutation changes nothing", run: updateMutationFails),
        StateStoreCheck(name: "invalid arguments are reported", run: invalidStateArguments),
    ]

    /// A fresh clock and store.
    static func make(_ factory: StateStoreFactory) async throws -> (ManualEpochClock, any StateStore) {
        let clock = ManualEpochClock()
        return (clock, try await factory(clock))
    }

    /// Expects `body` to throw a `StateStoreError` with `code`.
    static func expectError(
        _ code: StateStoreError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void
    ) async {
        let error = await #expect(throws: StateStoreError.self, sourceLocation: sourceLocation) { try await body() }
        #expect(error?.code == code, sourceLocation: sourceLocation)
    }
}
