import QuantumBus
import QuantumCore
import Testing

/// Checks of string keys, expiry, claims and counters.
extension StateStoreContract {
    static func getAndSet(_ factory: StateStoreFactory) async throws {
        let (_, store) = try await make(factory)
        #expect(try await store.get("a") == nil)
        try await store.set("a", value: "1", ttl: nil)
        try await store.set("b", value: "", ttl: nil)
        #expect(try await store.get("a") == "1")
        #expect(try await store.get("b") == "", "an empty value is a value")
        try await store.set("a", value: "ünïcødé \"2\"\n", ttl: nil)
        #expect(try await store.get("a") == "ünïcødé \"2\"\n")
    }

    static func keysExpire(_ factory: StateStoreFactory) async throws {
        let (clock, store) = try await make(factory)
        try await store.set("k", value: "v", ttl: .seconds(10))
        clock.advance(by: .milliseconds(9_999))
        #expect(try await store.get("k") == "v")
        clock.advance(by: .milliseconds(1))
        #expect(try await store.get("k") == nil, "gone exactly at its expiry")

        try await store.set("k", value: "v", ttl: .seconds(1))
        try await store.set("k", value: "w", ttl: nil)
        clock.advance(by: .seconds(5))
        #expect(try await store.get("k") == "w", "a set without ttl clears the expiry")

        try await store.update([.setString(key: "m", value: "x", ttl: .seconds(2))])
        clock.advance(by: .seconds(2))
        #expect(try await store.get("m") == nil)
    }

    static func setIfAbsentSetsOnce(_ factory: StateStoreFactory) async throws {
        let (clock, store) = try await make(factory)
        #expect(try await store.setIfAbsent("latch", value: "first", ttl: .seconds(3)))
        #expect(try await store.setIfAbsent("latch", value: "second", ttl: nil) == false)
        #expect(try await store.get("latch") == "first")
        clock.advance(by: .seconds(3))
        #expect(try await store.setIfAbsent("latch", value: "third", ttl: nil), "an expired key is absent")
        #expect(try await store.get("latch") == "third")
        try await store.setFields("h", ["f": "v"])
        #expect(try await store.setIfAbsent("h", value: "x", ttl: nil) == false, "a hash is present too")
    }

    static func compareAndSetSwaps(_ factory: StateStoreFactory) async throws {
        let (clock, store) = try await make(factory)
        #expect(try await store.compareAndSet("k", expected: "x", new: "y") == false)
        #expect(try await store.get("k") == nil)
        #expect(try await store.compareAndSet("k", expected: nil, new: "1"))
        #expect(try await store.compareAndSet("k", expected: nil, new: "2") == false)
        #expect(try await store.compareAndSet("k", expected: "9", new: "2") == false)
        #expect(try await store.get("k") == "1")
        #expect(try await store.compareAndSet("k", expected: "1", new: "2"))
        #expect(try await store.get("k") == "2")
        #expect(try await store.compareAndSet("k", expected: "2", new: nil), "nil deletes")
        #expect(try await store.get("k") == nil)
        #expect(try await store.keys(prefix: "k").isEmpty)

        try await store.set("t", value: "a", ttl: .seconds(5))
        #expect(try await store.compareAndSet("t", expected: "a", new: "b"))
        clock.advance(by: .seconds(5))
        #expect(try await store.get("t") == nil, "compareAndSet keeps the key's expiry")
        #expect(try await store.compareAndSet("t", expected: nil, new: "c"), "an expired key is absent")
    }

    static func incrementCounts(_ factory: StateStoreFactory) async throws {
        let (clock, store) = try await make(factory)
        #expect(try await store.increment("n", by: 5, ttl: nil) == 5)
        #expect(try await store.increment("n", by: -7, ttl: nil) == -2)
        #expect(try await store.get("n") == "-2")
        try await store.set("s", value: "40", ttl: nil)
        #expect(try await store.increment("s", by: 2, ttl: nil) == 42)

        #expect(try await store.increment("window", by: 1, ttl: .seconds(60)) == 1)
        clock.advance(by: .seconds(30))
        #expect(try await store.increment("window", by: 1, ttl: .seconds(60)) == 2, "ttl applies on creation only")
        clock.advance(by: .seconds(30))
        #expect(try await store.get("window") == nil)
        #expect(try await store.increment("window", by: 1, ttl: .seconds(60)) == 1)
    }

    static func incrementRejectsNonIntegers(_ factory: StateStoreFactory) async throws {
        let (_, store) = try await make(factory)
        try await store.set("text", value: "abc", ttl: nil)
        try await store.set("float", value: "1.5", ttl: nil)
        try await store.set("big", value: String(Int64.max), ttl: nil)
        await expectError(.notAnInteger) { _ = try await store.increment("text", by: 1, ttl: nil) }
        await expectError(.notAnInteger) { _ = try await store.increment("float", by: 1, ttl: nil) }
        await expectError(.notAnInteger) { _ = try await store.increment("big", by: 1, ttl: nil) }
        #expect(try await store.get("big") == String(Int64.max), "a failed increment changes nothing")
        try await store.setFields("h", ["f": "1"])
        await expectError(.wrongType) { _ = try await store.increment("h", by: 1, ttl: nil) }
    }

    static func deleteRemovesKeys(_ factory: StateStoreFactory) async throws {
        let (clock, store) = try await make(factory)
        try await store.set("s", value: "v", ttl: nil)
        try await store.setFields("h", ["a": "1", "b": "2"])
        try await store.set("e", value: "v", ttl: .seconds(1))
        #expect(try await store.delete("s"))
        #expect(try await store.delete("s") == false)
        #expect(try await store.delete("h"))
        #expect(try await store.fields("h").isEmpty)
        clock.advance(by: .seconds(1))
        #expect(try await store.delete("e") == false, "an expired key does not count as deleted")
        #expect(try await store.delete("never") == false)
        #expect(try await store.keys(prefix: "").isEmpty)
    }

    static func invalidStateArguments(_ factory: StateStoreFactory) async throws {
        let (_, store) = try await make(factory)
        await expectError(.invalidArgument) { try await store.set("", value: "v", ttl: nil) }
        await expectError(.invalidArgument) { try await store.set("k", value: "v", ttl: .zero) }
        await expectError(.invalidArgument) { _ = try await store.setIfAbsent("k", value: "v", ttl: .seconds(-1)) }
        await expectError(.invalidArgument) { _ = try await store.increment("k", by: 1, ttl: .zero) }
        await expectError(.invalidArgument) { try await store.update([.setString(key: "k", value: "v", ttl: .zero)]) }
        await expectError(.invalidArgument) { try await store.update([.set(""), .delete(key: "")]) }
        #expect(try await store.keys(prefix: "").isEmpty)
    }
}

extension StateMutation {
    /// A string set without expiry (shorthand for the checks).
    static func set(_ key: String, _ value: String = "v") -> StateMutation {
        .setString(key: key, value: value, ttl: nil)
    }
}
