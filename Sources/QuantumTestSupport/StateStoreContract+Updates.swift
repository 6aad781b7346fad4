import QuantumBus
import QuantumCore
import Testing

/// Checks of hashes, type errors, key listing and atomic updates.
extension StateStoreContract {
    static func hashesMergeFields(_ factory: StateStoreFactory) async throws {
        let (clock, store) = try await make(factory)
        #expect(try await store.fields("h").isEmpty)
        try await store.setFields("h", ["a": "1", "b": "2"])
        try await store.setFields("h", ["b": "3", "c": ""])
        #expect(try await store.fields("h") == ["a": "1", "b": "3", "c": ""])
        try await store.update([.removeFields(key: "h", fields: ["a", "missing"])])
        #expect(try await store.fields("h") == ["b": "3", "c": ""])
        try await store.update([.removeFields(key: "h", fields: ["b", "c"])])
        #expect(try await store.keys(prefix: "h").isEmpty, "removing the last field removes the hash")
        try await store.setFields("h", [:])
        #expect(try await store.keys(prefix: "h").isEmpty, "setting no fields creates nothing")

        try await store.update([.delete(key: "x"), .setFields(key: "x", fields: ["f": "v"])])
        #expect(try await store.compareAndSet("tmp", expected: nil, new: "v"))
        try await store.set("exp", value: "v", ttl: .seconds(1))
        clock.advance(by: .seconds(1))
        try await store.setFields("exp", ["f": "v"])
        #expect(try await store.fields("exp") == ["f": "v"], "an expired string does not block a hash")
    }

    static func wrongTypes(_ factory: StateStoreFactory) async throws {
        let (_, store) = try await make(factory)
        try await store.set("s", value: "v", ttl: nil)
        try await store.setFields("h", ["f": "v"])
        await expectError(.wrongType) { _ = try await store.get("h") }
        await expectError(.wrongType) { _ = try await store.compareAndSet("h", expected: nil, new: "x") }
        await expectError(.wrongType) { _ = try await store.fields("s") }
        await expectError(.wrongType) { try await store.setFields("s", ["f": "v"]) }
        await expectError(.wrongType) { try await store.update([.removeFields(key: "s", fields: ["f"])]) }
        await expectError(.wrongType) { _ = try await store.update(when: [.stringEquals(key: "h", value: nil)], []) }
        await expectError(.wrongType) { _ = try await store.update(when: [.fieldEquals(key: "s", field: "f", value: nil)], []) }
        #expect(try await store.get("s") == "v")
        #expect(try await store.fields("h") == ["f": "v"])
        try await store.set("h", value: "now a string", ttl: nil)
        #expect(try await store.get("h") == "now a string", "set replaces a key of any type")
    }

    static func keysByPrefix(_ factory: StateStoreFactory) async throws {
        let (clock, store) = try await make(factory)
        for key in ["pos:ETHUSDT", "pos:BTCUSDT", "plan:1", "pos:", "po", "pos:SOLUSDT"] {
            try await store.set(key, value: "v", ttl: key == "pos:SOLUSDT" ? .seconds(1) : nil)
        }
        try await store.setFields("pos:ADAUSDT", ["qty": "1"])
        #expect(try await store.keys(prefix: "pos:") == ["pos:", "pos:ADAUSDT", "pos:BTCUSDT", "pos:ETHUSDT", "pos:SOLUSDT"])
        clock.advance(by: .seconds(1))
        #expect(try await store.keys(prefix: "pos:") == ["pos:", "pos:ADAUSDT", "pos:BTCUSDT", "pos:ETHUSDT"])
        #expect(try await store.keys(prefix: "") == ["plan:1", "po", "pos:", "pos:ADAUSDT", "pos:BTCUSDT", "pos:ETHUSDT"])
        #expect(try await store.keys(prefix: "zzz").isEmpty)
    }

    static func snapshotReadsKeys(_ factory: StateStoreFactory) async throws {
        let (clock, store) = try await make(factory)
        try await store.set("s", value: "1", ttl: nil)
        try await store.set("short", value: "gone soon", ttl: .seconds(1))
        try await store.setFields("h", ["a": "x", "b": ""])
        try await store.update([.setString(key: "ttl", value: "kept", ttl: .seconds(5))])
        clock.advance(by: .seconds(1))

        let keys = ["s", "short", "h", "ttl", "absent", "s"]
        let snapshot = try await store.snapshot(keys)
        #expect(snapshot.keys == Set(keys))
        #expect(try snapshot.string("s") == "1")
        #expect(try snapshot.string("short") == nil, "expired at the snapshot's instant")
        #expect(try snapshot.fields("h") == ["a": "x", "b": ""])
        #expect(try snapshot.string("ttl") == "kept")
        #expect(try snapshot.string("absent") == nil)
        #expect(try snapshot.fields("absent") == [:])
        for key in ["s", "short", "ttl", "absent"] { #expect(try snapshot.string(key) == (try await store.get(key)), "as get reads \(key)") }
        #expect(try snapshot.fields("h") == (try await store.fields("h")))
        await expectError(.wrongType) { _ = try snapshot.string("h") }
        await expectError(.wrongType) { _ = try snapshot.fields("s") }
        await expectError(.invalidArgument) { _ = try snapshot.string("not-read") }
        await expectError(.invalidArgument) { _ = try await store.snapshot(["s", ""]) }
        #expect(try await store.snapshot([]).values.isEmpty)
    }

    static func updateThenReading(_ factory: StateStoreFactory) async throws {
        let (_, store) = try await make(factory)
        try await store.setFields("guard", ["active": "true"])
        let claimed = try await store.update(when: [.absent(key: "claim")], [.setString(key: "claim", value: "mine", ttl: nil),
                                                                           .setFields(key: "index", fields: ["p": "x"])],
                                             thenReading: ["claim", "index", "guard", "absent"])
        #expect(claimed.applied)
        #expect(try claimed.snapshot.string("claim") == "mine", "the reading is made after the update")
        #expect(try claimed.snapshot.fields("index") == ["p": "x"])
        #expect(try claimed.snapshot.fields("guard") == ["active": "true"])
        #expect(try claimed.snapshot.string("absent") == nil)

        let again = try await store.update(when: [.absent(key: "claim")], [.setString(key: "claim", value: "theirs", ttl: nil)],
                                           thenReading: ["claim"])
        #expect(!again.applied)
        #expect(try again.snapshot.string("claim") == "mine", "a condition that fails changes nothing, and the reading says so")

        let counted = try await store.update(when: [], [.increment(key: "n", by: 2)], thenReading: ["n", "claim"])
        #expect(try counted.snapshot.string("n") == "2")
        let nothing = try await store.update(when: [], [.delete(key: "claim")], thenReading: [])
        #expect(nothing.applied && nothing.snapshot.values.isEmpty)
        #expect(try await store.get("claim") == nil)

        await expectError(.wrongType) {
            _ = try await store.update(when: [], [.setString(key: "w", value: "1", ttl: nil), .setFields(key: "n", fields: ["a": "b"])],
                                       thenReading: ["w"])
        }
        await expectError(.wrongType) {
            _ = try await store.update(when: [], [.setString(key: "w", value: "1", ttl: nil), .increment(key: "guard", by: 1)], thenReading: ["w"])
        }
        #expect(try await store.get("w") == nil, "a failing update writes nothing")
        await expectError(.invalidArgument) { _ = try await store.update(when: [], [], thenReading: [""]) }
    }

    static func updateAppliesInOrder(_ factory: StateStoreFactory) async throws {
        let (_, store) = try await make(factory)
        try await store.set("plan", value: "open", ttl: nil)
        let applied = try await store.update(
            when: [
                .stringEquals(key: "plan", value: "open"), .absent(key: "lock"),
                .fieldEquals(key: "pos", field: "qty", value: nil), .stringEquals(key: "none", value: nil),
            ],
            [
                .set("lock", "a"), .setString(key: "lock", value: "b", ttl: nil),
                .increment(key: "n", by: 2), .increment(key: "n", by: 3),
                .setFields(key: "pos", fields: ["qty": "1", "side": "long"]), .removeFields(key: "pos", fields: ["side"]),
                .delete(key: "plan"), .set("plan", "done"),
                .set("gone"), .delete(key: "gone"),
            ]
        )
        #expect(applied)
        #expect(try await store.get("lock") == "b")
        #expect(try await store.get("n") == "5")
        #expect(try await store.fields("pos") == ["qty": "1"])
        #expect(try await store.get("plan") == "done")
        #expect(try await store.get("gone") == nil)
        #expect(try await store.update(when: [.fieldEquals(key: "pos", field: "qty", value: "1")], [.set("ok")]))
        #expect(try await store.get("ok") == "v")
    }

    static func updateConditionFails(_ factory: StateStoreFactory) async throws {
        let (_, store) = try await make(factory)
        try await store.set("plan", value: "open", ttl: nil)
        try await store.setFields("pos", ["qty": "1"])
        let failing: [[StateCondition]] = [
            [.stringEquals(key: "plan", value: "closed")],
            [.stringEquals(key: "plan", value: nil)],
            [.absent(key: "plan")],
            [.absent(key: "pos")],
            [.fieldEquals(key: "pos", field: "qty", value: "2")],
            [.fieldEquals(key: "pos", field: "qty", value: nil)],
            [.stringEquals(key: "plan", value: "open"), .absent(key: "pos")],
        ]
        for conditions in failing {
            let applied = try await store.update(
                when: conditions, [.set("plan", "changed"), .increment(key: "n", by: 1), .delete(key: "pos")]
            )
            #expect(applied == false, "\(conditions)")
        }
        #expect(try await store.get("plan") == "open")
        #expect(try await store.get("n") == nil)
        #expect(try await store.fields("pos") == ["qty": "1"])
    }

    static func updateMutationFails(_ factory: StateStoreFactory) async throws {
        let (_, store) = try await make(factory)
        try await store.set("plan", value: "open", ttl: nil)
        try await store.set("text", value: "abc", ttl: nil)
        await expectError(.notAnInteger) {
            _ = try await store.update(when: [.absent(key: "lock")], [
                .set("lock"), .delete(key: "plan"), .setFields(key: "pos", fields: ["qty": "1"]),
                .increment(key: "text", by: 1),
            ])
        }
        #expect(try await store.get("lock") == nil, "a mutation that fails undoes the earlier ones")
        #expect(try await store.get("plan") == "open")
        #expect(try await store.fields("pos").isEmpty)
        #expect(try await store.keys(prefix: "") == ["plan", "text"])
    }
}
