import NIOCore
import QuantumRedis
import QuantumTestSupport
import Testing

@Suite("Redis streams against a real server", .sharedRedisServer, .timeLimit(.minutes(3)))
struct RedisStreamTests {
    @Test("XADD, XREADGROUP, XPENDING, XACK, XAUTOCLAIM, XINFO round trip")
    func consumerGroupRoundTrip() async throws {
        try await withClient(try sharedServer()) { client throws in
            let stream = uniqueKey()
            #expect(try await client.xgroupCreate(stream, group: "g", id: "0", makeStream: true))
            #expect(try await !client.xgroupCreate(stream, group: "g", id: "0", existingOK: true))
            let busy = await #expect(throws: RedisError.self) { try await client.xgroupCreate(stream, group: "g") }
            #expect(busy?.serverErrorKind == "BUSYGROUP")

            var ids: [String] = []
            for index in 1...3 {
                ids.append(try await client.xadd(stream, fields: [("n", .integer(index)), ("kind", "fill")], trim: .maxLength(1000)))
            }
            #expect(try await client.xlen(stream) == 3)

            let read = try await client.xreadgroup(group: "g", consumer: "c1", stream: stream, count: 10, block: .milliseconds(100))
            #expect(read.map(\.id) == ids)
            #expect(read.first?[field: "n"] == ByteBuffer(string: "1"))
            #expect(read.first?.fields.map(\.name) == ["n", "kind"])

            let pending = try await client.xpending(stream, group: "g", idle: .zero, count: 10)
            #expect(pending.map(\.id) == ids)
            #expect(pending.allSatisfy { $0.consumer == "c1" && $0.deliveries == 1 })
            let summary = try await client.xpendingSummary(stream, group: "g")
            #expect(summary.count == 3 && summary.smallestID == ids[0] && summary.largestID == ids[2] && summary.consumers == ["c1": 3])

            #expect(try await client.xack(stream, group: "g", ids: [ids[0], "0-1"]) == 1)

            let claimed = try await client.xautoclaim(stream, group: "g", consumer: "c2", minIdle: .zero, count: 10)
            #expect(claimed.entries.map(\.id) == [ids[1], ids[2]])
            #expect(claimed.nextStart == "0-0")
            #expect(claimed.deletedIDs.isEmpty)
            let afterClaim = try await client.xpending(stream, group: "g", count: 10, consumer: "c2")
            #expect(afterClaim.map(\.id) == [ids[1], ids[2]])
            #expect(afterClaim.allSatisfy { $0.deliveries == 2 })

            let groups = try await client.xinfoGroups(stream)
            #expect(groups.count == 1)
            #expect(groups.first?["name"]?.string == "g")
            #expect(groups.first?["pending"]?.int == 2)
            #expect(groups.first?["last-delivered-id"]?.string == ids[2])
            let info = try await client.xinfoStream(stream)
            #expect(info["length"]?.int == 3)
            #expect(info["last-generated-id"]?.string == ids[2])

            // Nothing new: a short BLOCK returns empty, and the client waits past its command timeout for it.
            #expect(try await client.xreadgroup(group: "g", consumer: "c1", stream: stream, block: .milliseconds(50)).isEmpty)
        }
    }

    @Test("a blocking read longer than the command timeout is not a timeout")
    func blockingReadOutlastsCommandTimeout() async throws {
        // The block (6 s) outlasts the command timeout (5 s); the client allows both, so a reply that comes at the
        // block's end is on time even on a loaded machine (5 s of margin: with 2 s, a busy event loop in the suite's
        // debug build once read the reply later than that).
        try await withClient(try sharedServer(), configure: { $0.connection.commandTimeout = .seconds(5) }) { client throws in
            let stream = uniqueKey()
            try await client.xgroupCreate(stream, group: "g", makeStream: true)
            let entries = try await client.xreadgroup(group: "g", consumer: "c", stream: stream, block: .seconds(6))
            #expect(entries.isEmpty)
        }
    }

    @Test("entries deleted while pending: history shows them empty, XAUTOCLAIM reports their IDs")
    func deletedWhilePending() async throws {
        try await withClient(try sharedServer()) { client throws in
            let stream = uniqueKey()
            try await client.xgroupCreate(stream, group: "g", id: "0", makeStream: true)
            let first = try await client.xadd(stream, fields: [("a", "1")])
            let second = try await client.xadd(stream, fields: [("a", "2")])
            _ = try await client.xreadgroup(group: "g", consumer: "c", stream: stream)
            _ = try await client.send("XDEL", .string(stream), .string(first))
            let history = try await client.xreadgroup(group: "g", consumer: "c", stream: stream, id: "0")
            #expect(history.map(\.id) == [first, second])
            #expect(history.map(\.isDeleted) == [true, false])
            let claimed = try await client.xautoclaim(stream, group: "g", consumer: "c2", minIdle: .zero)
            #expect(claimed.deletedIDs == [first])
            #expect(claimed.entries.map(\.id) == [second])
        }
    }

    @Test("XRANGE, XREVRANGE, XTRIM, XGROUP SETID and reads over several streams")
    func rangesAndTrimming() async throws {
        try await withClient(try sharedServer()) { client throws in
            let stream = uniqueKey(), other = uniqueKey()
            var ids: [String] = []
            for index in 0..<10 { ids.append(try await client.xadd(stream, fields: [("i", .integer(index))])) }
            #expect(try await client.xrange(stream).map(\.id) == ids)
            #expect(try await client.xrange(stream, start: ids[2], end: ids[4]).map(\.id) == Array(ids[2...4]))
            #expect(try await client.xrevrange(stream, count: 2).map(\.id) == [ids[9], ids[8]])
            #expect(try await client.xtrim(stream, .maxLength(6, approximate: false)) == 4)
            #expect(try await client.xtrim(stream, .minID(ids[6], approximate: false)) == 2)
            #expect(try await client.xrange(stream).map(\.id) == Array(ids[6...]))
            let explicit = try await client.xadd(stream, id: "99999999999999-1", fields: [("i", "x")], trim: .maxLength(2, approximate: false))
            #expect(explicit == "99999999999999-1")
            #expect(try await client.xlen(stream) == 2)

            try await client.xgroupCreate(stream, group: "g", makeStream: true)
            try await client.xgroupCreate(other, group: "g", makeStream: true)
            try await client.xgroupSetID(stream, group: "g", id: "0")
            try await client.xadd(other, fields: [("o", "1")])
            let both = try await client.xreadgroup(group: "g", consumer: "c", streams: [(stream, ">"), (other, ">")])
            #expect(both[stream]?.count == 2)
            #expect(both[other]?.count == 1)
            #expect(try await client.xlen(uniqueKey()) == 0)
        }
    }
}
