import QuantumRedis
import Testing

@Suite("Redis URLs", .timeLimit(.minutes(3)))
struct RedisURLTests {
    @Test(
        "good URLs parse into their parts",
        arguments: [
            ("redis://localhost", RedisURL(host: "localhost")),
            ("redis://127.0.0.1:6380", RedisURL(host: "127.0.0.1", port: 6380)),
            ("redis://cache.internal:6379/2", RedisURL(host: "cache.internal", database: 2)),
            ("redis://cache/", RedisURL(host: "cache")),
            ("rediss://cache:6390", RedisURL(host: "cache", port: 6390, tls: true)),
            ("REDIS://cache", RedisURL(host: "cache")),
            ("redis://:secret@cache", RedisURL(host: "cache", password: "secret")),
            ("redis://alice:secret@cache:7000/15", RedisURL(host: "cache", port: 7000, username: "alice", password: "secret", database: 15)),
            ("redis://alice@cache", RedisURL(host: "cache", username: "alice")),
            ("redis://al%69ce:p%40ss%3Aw%2Frd%25@cache", RedisURL(host: "cache", username: "alice", password: "p@ss:w/rd%")),
            ("redis://user:p@ss@cache", RedisURL(host: "cache", username: "user", password: "p@ss")),
            ("redis://:%C3%A9t%C3%A9@cache", RedisURL(host: "cache", password: "été")),
            ("redis://[::1]:6380/1", RedisURL(host: "::1", port: 6380, database: 1)),
            ("rediss://[fe80::1]", RedisURL(host: "fe80::1", tls: true)),
        ]
    )
    func good(_ text: String, _ expected: RedisURL) throws {
        #expect(try RedisURL(text) == expected)
    }

    @Test(
        "bad URLs throw .invalidURL saying why",
        arguments: [
            ("cache:6379", "missing scheme"),
            ("http://cache", "unsupported scheme"),
            ("redis+sentinel://cache", "unsupported scheme"),
            ("redis://", "missing host"),
            ("redis://:6379", "missing host"),
            ("redis://cache:0", "bad port"),
            ("redis://cache:65536", "bad port"),
            ("redis://cache:port", "bad port"),
            ("redis://cache:", "bad port"),
            ("redis://cache/db", "bad database"),
            ("redis://cache/-1", "bad database"),
            ("redis://cache/1/2", "bad database"),
            ("redis://[::1", "unclosed ["),
            ("redis://[::1]x", "unexpected text after ]"),
            ("redis://:%zz@cache", "bad percent-encoding in password"),
            ("redis://%4@cache", "bad percent-encoding in user"),
            ("redis://:%FF@cache", "bad percent-encoding in password"),
            ("redis://cache?db=1", "query or fragment not supported"),
        ]
    )
    func bad(_ text: String, _ reason: String) {
        let error = #expect(throws: RedisError.self) { try RedisURL(text) }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.hasPrefix(reason) == true, "\(String(describing: error))")
    }

    @Test("errors never show the password")
    func redaction() {
        let error = #expect(throws: RedisError.self) { try RedisURL("redis://alice:hunter2@cache:99999") }
        #expect(error?.message.contains("hunter2") == false)
        #expect(error?.message.contains("alice:***@cache") == true)
    }

    @Test("a client configuration takes its connection settings from the URL")
    func configuration() throws {
        let configuration = try RedisClient.Configuration(url: "rediss://bob:pw@db.example:7001/4", poolSize: 8, commandTimeout: .seconds(2))
        #expect(configuration.poolSize == 8)
        #expect(configuration.connection.host == "db.example" && configuration.connection.port == 7001)
        #expect(configuration.connection.username == "bob" && configuration.connection.password == "pw")
        #expect(configuration.connection.database == 4)
        #expect(configuration.connection.tls != nil)
        #expect(configuration.connection.commandTimeout == .seconds(2))
    }
}
