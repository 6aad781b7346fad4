import NIOCore
import QuantumRedis
import QuantumTestSupport
import Testing

@Suite("Redis authentication against a real server", .timeLimit(.minutes(3)))
struct RedisAuthTests {
    /// A server requiring a password, with an ACL user whose password needs percent-encoding in a URL.
    private func withSecuredServer(_ body: (RedisServerProcess) async throws -> Void) async throws {
        let options = RedisServerProcess.Options(password: "s3cret", users: [.init(name: "alice", password: "p@ss:word")])
        let server = try await RedisServerProcess.start(options)
        do {
            try await body(server)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }

    @Test("the right password, as AUTH password or AUTH user password from a URL, logs in")
    func goodCredentials() async throws {
        try await withSecuredServer { server throws in
            let byPassword = RedisClient(configuration: try .init(url: "redis://:s3cret@127.0.0.1:\(server.port)"))
            #expect(try await byPassword.send("ACL", "WHOAMI") == .bulkString(ByteBuffer(string: "default")))
            await byPassword.shutdown()
            let byUser = RedisClient(configuration: try .init(url: "redis://alice:p%40ss%3Aword@127.0.0.1:\(server.port)/2"))
            #expect(try await byUser.send("ACL", "WHOAMI") == .bulkString(ByteBuffer(string: "alice")))
            await byUser.shutdown()
            let resp3 = try await RedisConnection.connect(
                configuration: .init(port: server.port, username: "alice", password: "p@ss:word", protocolVersion: .resp3)
            )
            #expect(try await resp3.send("ACL", "WHOAMI") == .bulkString(ByteBuffer(string: "alice")))
            await resp3.close()
        }
    }

    @Test("a wrong password fails with .authentication, over RESP2 and RESP3, on a connection and in the pool")
    func badCredentials() async throws {
        try await withSecuredServer { server throws in
            for version in [RedisConnection.ProtocolVersion.resp2, .resp3] {
                for user in [nil, "alice"] {
                    let configuration = RedisConnection.Configuration(port: server.port, username: user, password: "wrong", protocolVersion: version)
                    let error = await #expect(throws: RedisError.self) { try await RedisConnection.connect(configuration: configuration) }
                    #expect(error?.code == .authentication, "\(version) \(user ?? "default"): \(String(describing: error))")
                }
            }
            let client = RedisClient(configuration: .init(port: server.port, password: "wrong", reconnectBackoff: .init(initial: .milliseconds(1))))
            let error = await #expect(throws: RedisError.self) { try await client.send("PING") }
            #expect(error?.code == .authentication)
            await client.shutdown()
        }
    }

    @Test("no password where one is required: connecting fails with .authentication (NOAUTH)")
    func missingCredentials() async throws {
        try await withSecuredServer { server throws in
            let error = await #expect(throws: RedisError.self) {
                try await RedisConnection.connect(configuration: .init(port: server.port))
            }
            #expect(error?.code == .authentication)
            #expect(error?.serverErrorKind == "NOAUTH")
            try await withClient(server) { client throws in
                let error = await #expect(throws: RedisError.self) { try await client.send("GET", "key") }
                #expect(error?.code == .authentication)
            }
        }
    }
}
