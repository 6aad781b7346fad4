import Foundation
import Logging
import QuantumBus
import QuantumCore
import QuantumRedis
import QuantumTestSupport
import Testing

/// The bus contract against the Redis backends, on a real `redis-server` this suite starts; each check runs in a
/// namespace of its own, so the checks share the server and run in parallel.
@Suite("Redis bus contract", .sharedRedisServer, .timeLimit(.minutes(3)))
struct RedisBusContractTests {
    /// Polling is pushed out of reach, so a blocked `readNew` can only be woken by the in-process notifier.
    @Test("event log", .timeLimit(.minutes(1)), arguments: EventLogContract.checks)
    func eventLog(_ check: EventLogCheck) async throws {
        try await withRedis { client, names in
            try await check.run { clock in RedisEventLog(client: client, clock: clock, names: names, pollInterval: .seconds(600)) }
        }
    }

    @Test("state store", .timeLimit(.minutes(1)), arguments: StateStoreContract.checks)
    func stateStore(_ check: StateStoreCheck) async throws {
        try await withRedis { client, names in
            try await check.run { clock in RedisStateStore(client: client, clock: clock, names: names) }
        }
    }

    @Test("keys are the system's own names, readable by an operator")
    func operatorView() async throws {
        try await withRedis(namespace: false) { client, _ in
            let clock = ManualEpochClock()
            let log = RedisEventLog(client: client, clock: clock)
            let store = RedisStateStore(client: client, clock: clock)
            let stream = "quantum:stream:apply.plan:\(UUID().uuidString.prefix(8))"
            try await log.createGroup(stream, group: "apply-layer", start: .tail)
            _ = try await log.append(stream, fields: ["plan_id": "p1"])
            _ = try await log.readNew(stream, group: "apply-layer", consumer: "apply-layer-1", count: 10, wait: nil)
            #expect(try await client.send(RedisCommand("XLEN", [.string(stream)])).int == 1)
            let pending = try await client.send(RedisCommand("XPENDING", [.string(stream), "apply-layer"]))
            #expect(pending.array?.first?.int == 1, "XPENDING shows the entry delivered and not acknowledged")

            let key = "quantum:position:TEST\(UUID().uuidString.prefix(6))"
            try await store.setFields(key, ["qty": "0.010", "side": "LONG"])
            let fields = try await client.send(RedisCommand("HGETALL", [.string(key)]))
            #expect(fields.array?.compactMap(\.string).count == 4, "HGETALL shows the position's fields")
            #expect(try await store.keys(prefix: key) == [key])
            #expect(try await store.keys(prefix: stream).isEmpty, "streams are not state keys")
            _ = try await store.delete(key)
        }
    }

    /// Two processes' logs: a reader blocked in one wakes on the other's append through the watcher, with no polling.
    @Test("the append watcher wakes a reader on another process's append", .timeLimit(.minutes(1)))
    func watcherWakesReadersAcrossProcesses() async throws {
        try await withRedis { client, names in
            let clock = ManualEpochClock()
            let writer = RedisEventLog(client: client, clock: clock, names: names, pollInterval: .seconds(600))
            let reader = RedisEventLog(client: client, clock: clock, names: names, pollInterval: .seconds(600))
            try await reader.createGroup("s", group: "g", start: .tail)
            let watcher = reader.appendWatcher(logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await watcher.run() }
                let waiting = Task { try await reader.readNew("s", group: "g", consumer: "c", count: 10, wait: .seconds(60)) }
                _ = await clock.nextSleeper()  // the reader is blocked (its clock never moves in this test)
                let id = try await writer.append("s", fields: ["n": "1"])
                #expect(try await waiting.value.map(\.entry.id) == [id])
                group.cancelAll()
            }
        }
    }

    /// Runs `body` with a client of the suite's server and a fresh namespace (or none).
    private func withRedis(namespace: Bool = true, _ body: (RedisClient, RedisBusNames) async throws -> Void) async throws {
        let server = try sharedServer()
        let client = RedisClient(configuration: RedisClient.Configuration(host: server.host, port: server.port, poolSize: 8))
        let names = RedisBusNames(namespace: namespace ? "t\(UUID().uuidString.prefix(8)):" : "")
        do {
            try await body(client, names)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
    }
}
