import QuantumBus
import QuantumTestSupport
import Testing

/// The bus contract against the in-memory backends.
@Suite("In-memory bus contract", .timeLimit(.minutes(3)))
struct InMemoryBusContractTests {
    @Test("event log", arguments: EventLogContract.checks)
    func eventLog(_ check: EventLogCheck) async throws {
        try await check.run { clock in InMemoryEventLog(clock: clock) }
    }

    @Test("state store", arguments: StateStoreContract.checks)
    func stateStore(_ check: StateStoreCheck) async throws {
        try await check.run { clock in InMemoryStateStore(clock: clock) }
    }
}
