import Foundation
import QuantumBus
import QuantumCore
import QuantumRedis
import QuantumTestSupport
import Testing

/// The Redis store's one-script writes (`RedisStateUpdate`) against the in-memory store, call for call: the same random
/// calls on the same clock give the same answers, the same error codes and the same keys and values.
@Suite("Redis state updates", .sharedRedisServer, .timeLimit(.minutes(2)))
struct RedisStateUpdateTests {
    /// One random call on `store`: its answer as text (an error by its code), so two stores' answers compare.
    static func call(_ store: any StateStore, _ draw: (Int) -> Int, key: (Int) -> String) async -> String {
        let k = key(draw(4))
        let value = ["1", "2", "-7", "x", "999999999999999", "9223372036854775807", ""][draw(7)]
        let ttl: Duration? = draw(3) == 0 ? .milliseconds(1 + draw(40)) : nil
        let fields = Dictionary((0..<draw(4)).map { _ in ("f\(draw(5))", "v\(draw(3))") }, uniquingKeysWith: { a, _ in a })
        do {
            switch draw(10) {
            case 0: try await store.set(k, value: value, ttl: ttl); return "set"
            case 1: return "sia \(try await store.setIfAbsent(k, value: value, ttl: ttl))"
            case 2: return "cas \(try await store.compareAndSet(k, expected: draw(2) == 0 ? nil : value, new: draw(3) == 0 ? nil : "\(draw(9))"))"
            case 3: return "inc \(try await store.increment(k, by: [1, -3, Int64.max, 1 << 60][draw(4)], ttl: ttl))"
            case 4: try await store.setFields(k, fields); return "sf"
            case 5: return "del \(try await store.delete(k))"
            case 6: return "get \(try await store.get(k) ?? "nil")"
            case 7: return "fields \(try await store.fields(k).sorted { $0.key < $1.key })"
            default:
                let other = key(draw(4))
                let conditions: [StateCondition] = [
                    .stringEquals(key: k, value: draw(2) == 0 ? nil : value), .fieldEquals(key: other, field: "f\(draw(5))", value: draw(2) == 0 ? nil : "v\(draw(3))"),
                    .absent(key: other),
                ].filter { _ in draw(3) == 0 }
                let mutations: [StateMutation] = (0..<(1 + draw(3))).map { _ in
                    switch draw(5) {
                    case 0: .setString(key: key(draw(4)), value: value, ttl: ttl)
                    case 1: .setFields(key: key(draw(4)), fields: fields)
                    case 2: .removeFields(key: key(draw(4)), fields: ["f\(draw(5))", "f\(draw(5))"])
                    case 3: .delete(key: key(draw(4)))
                    default: .increment(key: key(draw(4)), by: Int64(draw(5)) - 2)
                    }
                }
                if draw(2) == 0 {
                    let read = [k, other, key(draw(4))]
                    let outcome = try await store.update(when: conditions, mutations, thenReading: read)
                    let values = outcome.snapshot.values.sorted { $0.key < $1.key }.map { key, value in
                        switch value {
                        case .string(let text): "\(key)=\(text)"
                        case .fields(let fields): "\(key)=\(fields.sorted { $0.key < $1.key })"
                        }
                    }
                    return "update \(outcome.applied) then \(values)"
                }
                return "update \(try await store.update(when: conditions, mutations))"
            }
        } catch let error as StateStoreError {
            return "error \(error.code)"
        } catch {
            return "error \(error)"
        }
    }

    @Test("random calls answer and store as the in-memory store does", arguments: [1, 2, 3, 4] as [UInt64])
    func agreesWithTheMemoryStore(seed: UInt64) async throws {
        let server = try sharedServer()
        let client = RedisClient(configuration: RedisClient.Configuration(host: server.host, port: server.port, poolSize: 4))
        defer { Task { await client.shutdown() } }
        let clock = ManualEpochClock()
        let redis = RedisStateStore(client: client, clock: clock, names: RedisBusNames(namespace: "u\(UUID().uuidString.prefix(8)):"))
        let memory = InMemoryStateStore(clock: clock)
        var generator = SeededGenerator(seed: seed)
        let keys = ["a", "b", "c", "d"]
        for step in 0..<600 {
            let draws = (0..<40).map { _ in Int(generator.next() % 1_000_000) }
            var memoryCursor = 0, redisCursor = 0
            let memoryAnswer = await Self.call(memory, { bound in defer { memoryCursor += 1 }; return draws[memoryCursor % draws.count] % bound },
                                               key: { keys[$0] })
            let redisAnswer = await Self.call(redis, { bound in defer { redisCursor += 1 }; return draws[redisCursor % draws.count] % bound },
                                              key: { keys[$0] })
            #expect(redisAnswer == memoryAnswer, "seed \(seed), step \(step)")
            if redisAnswer != memoryAnswer { return }
            if generator.next() % 4 == 0 { clock.advance(by: .milliseconds(Int64(generator.next() % 20))) }
        }
        for key in keys {
            #expect(await Self.call(redis, { _ in 6 }, key: { _ in key }) == (await Self.call(memory, { _ in 6 }, key: { _ in key })))
        }
    }

    @Test("a hash of many fields and counters beyond Lua's exact integers")
    func largeValues() async throws {
        let server = try sharedServer()
        let client = RedisClient(configuration: RedisClient.Configuration(host: server.host, port: server.port, poolSize: 2))
        defer { Task { await client.shutdown() } }
        let store = RedisStateStore(client: client, clock: ManualEpochClock(), names: RedisBusNames(namespace: "u\(UUID().uuidString.prefix(8)):"))
        let many = Dictionary(uniqueKeysWithValues: (0..<1_000).map { ("field\($0)", "value\($0)") })
        try await store.setFields("wide", many)
        #expect(try await store.fields("wide") == many)
        try await store.set("big", value: "9007199254740993", ttl: nil)
        #expect(try await store.increment("big", by: 2, ttl: nil) == 9_007_199_254_740_995, "2⁵³ + 3: exact, not a double")
        #expect(try await store.increment("small", by: 5, ttl: nil) == 5)
        await #expect(throws: StateStoreError.self) { try await store.increment("big", by: Int64.max, ttl: nil) }
        #expect(try await store.get("big") == "9007199254740995", "an overflowing increment writes nothing")
    }

    @Test("an update and its reading are pipelined, and scripts the server lost are loaded again without a second write")
    func updateThenReadingAfterAScriptFlush() async throws {
        // A server of its own: flushing the shared one's scripts would pull them from under other suites.
        let server = try await RedisServerProcess.start()
        let client = RedisClient(configuration: RedisClient.Configuration(host: server.host, port: server.port, poolSize: 1))
        defer { Task { await client.shutdown(); await server.shutdown() } }
        let store = RedisStateStore(client: client, clock: ManualEpochClock(), names: RedisBusNames(namespace: "u\(UUID().uuidString.prefix(8)):"))
        // Neither script cached: the update did not run, so both go again.
        _ = try await client.send("SCRIPT", "FLUSH")
        let first = try await store.update(when: [.absent(key: "once")], [.setString(key: "once", value: "1", ttl: nil)], thenReading: ["once"])
        #expect(first.applied)
        #expect(try first.snapshot.string("once") == "1")
        // Only the update's script cached (a plain update loads it): the update ran once, only the reading goes again.
        _ = try await client.send("SCRIPT", "FLUSH")
        #expect(try await store.update(when: [], [.setString(key: "other", value: "x", ttl: nil)]))
        let second = try await store.update(when: [.absent(key: "twice")], [.setString(key: "twice", value: "2", ttl: nil)], thenReading: ["twice", "once"])
        #expect(second.applied, "applied once: a second run would have found the key")
        #expect(try second.snapshot.string("twice") == "2")
        #expect(try second.snapshot.string("once") == "1")
    }
}
