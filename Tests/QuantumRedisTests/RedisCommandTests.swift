import NIOCore
import QuantumRedis
import QuantumTestSupport
import Testing

@Suite("Redis commands against a real server", .sharedRedisServer, .timeLimit(.minutes(3)))
struct RedisCommandTests {
    @Test("PING, SET/GET/DEL, and a server error reply thrown as .server")
    func basics() async throws {
        try await withClient(try sharedServer()) { client throws in
            #expect(try await client.send("PING") == .simpleString("PONG"))
            let key = uniqueKey()
            #expect(try await client.get(key) == nil)
            #expect(try await client.set(key, value: "hello"))
            #expect(try await client.get(key) == ByteBuffer(string: "hello"))
            let error = await #expect(throws: RedisError.self) { try await client.send("INCR", .string(key)) }
            #expect(error?.code == .server)
            #expect(error?.serverErrorKind == "ERR")
            #expect(try await client.del(key, uniqueKey()) == 1)
            // The pool kept the connection after the server error.
            #expect(try await client.send("ECHO", "still here") == .bulkString(ByteBuffer(string: "still here")))
        }
    }

    @Test("SET NX PX: only the first writer wins, and the key expires")
    func setIfAbsentWithExpiry() async throws {
        try await withClient(try sharedServer()) { client throws in
            let key = uniqueKey()
            #expect(try await client.set(key, value: "first", condition: .ifNotExists, expiry: .seconds(60)))
            #expect(try await !client.set(key, value: "second", condition: .ifNotExists, expiry: .seconds(60)))
            #expect(try await client.get(key) == ByteBuffer(string: "first"))
            let ttl = try #require(try await client.send("PTTL", .string(key)).int)
            #expect(ttl > 0 && ttl <= 60_000)
            #expect(try await !client.set(uniqueKey(), value: "x", condition: .ifExists))
        }
    }

    @Test("10,000 pipelined commands get their replies in order")
    func pipelining() async throws {
        try await withClient(try sharedServer()) { client throws in
            let key = uniqueKey()
            let commands = (0..<10_000).map { index in
                index % 2 == 0 ? RedisCommand("INCR", [.string(key)]) : RedisCommand("ECHO", [.integer(index)])
            }
            let replies = try await client.pipeline(commands)
            #expect(replies.count == 10_000)
            for (index, reply) in replies.enumerated() {
                let expected: RESPValue = index % 2 == 0 ? .integer(Int64(index / 2 + 1)) : .bulkString(ByteBuffer(string: String(index)))
                guard try reply.get() == expected else {
                    Issue.record("reply \(index) was \(reply)")
                    return
                }
            }
            // A server error inside a pipeline fails only its own command.
            let mixed = try await client.pipeline([RedisCommand("PING"), RedisCommand("NOSUCHCOMMAND"), RedisCommand("PING")])
            #expect(try mixed[0].get() == .simpleString("PONG"))
            #expect(throws: RedisError.self) { try mixed[1].get() }
            #expect(try mixed[2].get() == .simpleString("PONG"))
        }
    }

    @Test("many tasks share a small pool")
    func concurrentTasks() async throws {
        try await withClient(try sharedServer(), configure: { $0.poolSize = 3 }) { client throws in
            let key = uniqueKey()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        for _ in 0..<25 { _ = try await client.send("INCR", .string(key)) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await client.get(key) == ByteBuffer(string: "1000"))
        }
    }

    @Test("HSET, HGET, HGETALL, HDEL")
    func hashes() async throws {
        try await withClient(try sharedServer()) { client throws in
            let key = uniqueKey()
            #expect(try await client.hset(key, fields: [("a", "1"), ("b", .bytes(ByteBuffer(bytes: [0, 255])))]) == 2)
            #expect(try await client.hset(key, fields: [("a", "2"), ("c", 3)]) == 1)
            #expect(try await client.hget(key, field: "a") == ByteBuffer(string: "2"))
            #expect(try await client.hget(key, field: "missing") == nil)
            #expect(
                try await client.hgetall(key)
                    == ["a": ByteBuffer(string: "2"), "b": ByteBuffer(bytes: [0, 255]), "c": ByteBuffer(string: "3")]
            )
            #expect(try await client.hdel(key, fields: "a", "missing") == 1)
            #expect(try await client.hgetall(uniqueKey()) == [:])
        }
    }

    @Test("EVALSHA falls back to EVAL on NOSCRIPT, then runs from the cache")
    func scripts() async throws {
        try await withClient(try sharedServer()) { client throws in
            let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1])")
            #expect(script.sha1.count == 40)
            _ = try await client.send("SCRIPT", "FLUSH")
            #expect(try await client.send("SCRIPT", "EXISTS", .string(script.sha1)) == .array([.integer(0)]))
            let key = uniqueKey()
            #expect(try await client.evalsha(script, keys: [key], arguments: [5]) == .integer(5))
            #expect(try await client.send("SCRIPT", "EXISTS", .string(script.sha1)) == .array([.integer(1)]))
            #expect(try await client.evalsha(script, keys: [key], arguments: [2]) == .integer(7))
            #expect(try await client.scriptLoad(script) == script.sha1)
            let failing = RedisScript("return redis.error_reply('BOOM it failed')")
            let error = await #expect(throws: RedisError.self) { try await client.evalsha(failing) }
            #expect(error?.serverErrorKind == "BOOM")
        }
    }

    @Test("MULTI/EXEC: results per command, EXECABORT thrown, WATCH conflicts return nil")
    func transactions() async throws {
        try await withClient(try sharedServer()) { client throws in
            let counter = uniqueKey(), text = uniqueKey()
            try await client.set(text, value: "not a hash")
            let results = try #require(
                try await client.transaction([
                    RedisCommand("INCR", [.string(counter)]), RedisCommand("INCR", [.string(counter)]),
                    .hset(text, fields: [("f", "v")]), .get(counter),
                ])
            )
            #expect(try results[0].get() == .integer(1))
            #expect(try results[1].get() == .integer(2))
            #expect(results[2].errorKind == "WRONGTYPE")
            #expect(try results[3].get() == .bulkString(ByteBuffer(string: "2")))

            let error = await #expect(throws: RedisError.self) {
                try await client.transaction([RedisCommand("INCR", [.string(counter)]), RedisCommand("NOSUCHCOMMAND")])
            }
            #expect(error?.serverErrorKind == "EXECABORT")
            #expect(try await client.get(counter) == ByteBuffer(string: "2"))

            // A write from another connection between WATCH and EXEC aborts the transaction.
            let aborted = try await client.watchTransaction(watching: [counter]) { connection throws in
                _ = try await connection.get(counter)
                try await client.set(counter, value: "100")  // another pooled connection
                return [RedisCommand("INCR", [.string(counter)])]
            }
            #expect(aborted == nil)
            let applied = try await client.watchTransaction(watching: [counter]) { _ in [RedisCommand("INCR", [.string(counter)])] }
            #expect(try applied?.first?.get() == .integer(101))
        }
    }

    @Test("SELECT and CLIENT SETNAME from the configuration")
    func handshake() async throws {
        let server = try sharedServer()
        let key = uniqueKey()
        try await withConnection(server, configure: { $0.database = 3; $0.clientName = "quantum-test" }) { connection throws in
            try await connection.set(key, value: "in db 3")
            #expect(try await connection.send("CLIENT", "GETNAME") == .bulkString(ByteBuffer(string: "quantum-test")))
        }
        try await withClient(server) { client throws in #expect(try await client.get(key) == nil) }
        let url = RedisClient.Configuration(connection: try .init(url: "redis://\(server.host):\(server.port)/3"))
        let client = RedisClient(configuration: url)
        #expect(try await client.get(key) == ByteBuffer(string: "in db 3"))
        await client.shutdown()
    }

    @Test("RESP3 via HELLO 3: maps, doubles and the typed helpers")
    func resp3() async throws {
        try await withConnection(try sharedServer(), configure: { $0.protocolVersion = .resp3 }) { connection throws in
            let hash = uniqueKey(), zset = uniqueKey()
            try await connection.hset(hash, fields: [("a", "1")])
            #expect(try await connection.send("HGETALL", .string(hash)) == .map([(.bulkString(ByteBuffer(string: "a")), .bulkString(ByteBuffer(string: "1")))]))
            #expect(try await connection.hgetall(hash) == ["a": ByteBuffer(string: "1")])
            _ = try await connection.send("ZADD", .string(zset), "1.5", "member")
            #expect(try await connection.send("ZSCORE", .string(zset), "member") == .double(1.5))
            #expect(try await connection.send("EXISTS", .string(zset)) == .integer(1))
            #expect(try await connection.get(uniqueKey()) == nil)  // RESP3 null
        }
    }
}

extension Result where Failure == RedisError {
    /// The server error kind of a failure.
    var errorKind: Substring? {
        if case .failure(let error) = self { return error.serverErrorKind }
        return nil
    }
}
