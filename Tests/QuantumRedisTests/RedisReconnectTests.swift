import NIOCore
import QuantumRedis
import QuantumTestSupport
import Testing

@Suite("Redis down and back", .timeLimit(.minutes(3)))
struct RedisReconnectTests {
    @Test("server stopped: waiting commands fail .connectionClosed, new ones fail fast, the pool reconnects when it is back")
    func serverRestart() async throws {
        let server = try await RedisServerProcess.start(.init(appendOnly: true, appendFsync: "always"))
        let backoff = RedisBackoff(initial: .milliseconds(5), maximum: .milliseconds(50))
        try await withClient(server, configure: { $0.poolSize = 2; $0.reconnectBackoff = backoff }) { client throws in
            let key = uniqueKey()
            try await client.set(key, value: "survives a restart")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let error = await #expect(throws: RedisError.self) {
                        try await client.send(RedisCommand("BLPOP", [.string(uniqueKey()), 0], blockingFor: .seconds(60)))
                    }
                    #expect(error?.code == .connectionClosed)
                }
                let blocked = await eventually {
                    (try? await client.send("CLIENT", "LIST").string)?.contains("cmd=blpop") == true
                }
                #expect(blocked)
                await server.stop()
                try await group.waitForAll()
            }

            let down = await #expect(throws: RedisError.self) { try await client.send("PING") }
            #expect(down?.code == .connectionFailed || down?.code == .connectionClosed)

            try await server.restart()
            let back = await eventually { (try? await client.send("PING")) == .simpleString("PONG") }
            #expect(back)
            #expect(try await client.get(key) == ByteBuffer(string: "survives a restart"))
        }
        await server.shutdown()
    }

    @Test("after shutdown the client refuses work with .clientShutdown")
    func shutdown() async throws {
        let server = try await RedisServerProcess.start()
        let client = RedisClient(configuration: .init(port: server.port))
        #expect(try await client.send("PING") == .simpleString("PONG"))
        await client.shutdown()
        let error = await #expect(throws: RedisError.self) { try await client.send("PING") }
        #expect(error?.code == .clientShutdown)
        await server.shutdown()
    }
}
