import NIOCore
import QuantumRedis
import QuantumTestSupport
import Testing

@Suite("Redis connection failures against a real server", .sharedRedisServer, .timeLimit(.minutes(3)))
struct RedisConnectionTests {
    @Test("no reply within the command timeout: .timeout, and the connection closes")
    func commandTimeout() async throws {
        try await withConnection(try sharedServer(), configure: { $0.commandTimeout = .seconds(1) }) { connection throws in
            let started = ContinuousClock.now
            let error = await #expect(throws: RedisError.self) { try await connection.send("BLPOP", .string(uniqueKey()), 10) }
            #expect(error?.code == .timeout)
            #expect(ContinuousClock.now - started < .seconds(5))
            try await connection.closeFuture.get()
            let after = await #expect(throws: RedisError.self) { try await connection.send("PING") }
            #expect(after?.code == .connectionClosed)
        }
    }

    @Test("the pool replaces a connection that timed out")
    func poolAfterTimeout() async throws {
        try await withClient(try sharedServer(), configure: { $0.connection.commandTimeout = .seconds(1); $0.poolSize = 1 }) { client throws in
            let error = await #expect(throws: RedisError.self) { try await client.send("BLPOP", .string(uniqueKey()), 10) }
            #expect(error?.code == .timeout)
            #expect(try await client.send("PING") == .simpleString("PONG"))
        }
    }

    @Test("CLIENT KILL from another connection: the waiting command fails with .connectionClosed")
    func killedByServer() async throws {
        let server = try sharedServer()
        let key = uniqueKey()
        try await withConnection(server) { victim throws in
            let id = try #require(try await victim.send("CLIENT", "ID").int)
            try await withConnection(server) { admin throws in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let error = await #expect(throws: RedisError.self) {
                            try await victim.send(RedisCommand("BLPOP", [.string(key), 0], blockingFor: .seconds(60)))
                        }
                        #expect(error?.code == .connectionClosed)
                    }
                    // Kill it once the server shows it blocked, so the command is in flight.
                    let blocked = await eventually {
                        let list = try? await admin.send("CLIENT", "LIST", "ID", .integer(id)).string
                        return list?.contains("cmd=blpop") == true
                    }
                    #expect(blocked)
                    #expect(try await admin.send("CLIENT", "KILL", "ID", .integer(id)) == .integer(1))
                    try await group.waitForAll()
                }
            }
            #expect(!victim.isActive)
        }
    }

    @Test("a cancelled caller gets CancellationError and its connection closes")
    func cancellation() async throws {
        try await withConnection(try sharedServer()) { connection throws in
            await withThrowingTaskGroup(of: RESPValue.self) { group in
                group.addTask {
                    try await connection.send(RedisCommand("BLPOP", [.string(uniqueKey()), 0], blockingFor: .seconds(60)))
                }
                group.cancelAll()
                await #expect(throws: CancellationError.self) { _ = try await group.next() }
            }
            try await connection.closeFuture.get()
        }
    }

    @Test("nothing listening: connect fails with .connectionFailed")
    func connectRefused() async throws {
        let server = try await RedisServerProcess.start()
        let port = server.port
        await server.shutdown()
        let error = await #expect(throws: RedisError.self) {
            try await RedisConnection.connect(configuration: .init(host: "127.0.0.1", port: port))
        }
        #expect(error?.code == .connectionFailed)
    }

    @Test("a reply over the decoder's limits fails the command and closes the connection")
    func replyTooLarge() async throws {
        let limits = RESPDecoder.Configuration(maximumBulkLength: 1024)
        try await withConnection(try sharedServer(), configure: { $0.decoder = limits }) { connection throws in
            let key = uniqueKey()
            try await connection.set(key, value: .string(String(repeating: "x", count: 2048)))
            let error = await #expect(throws: RedisError.self) { try await connection.get(key) }
            #expect(error?.code == .replyTooLarge)
            try await connection.closeFuture.get()
        }
    }
}
