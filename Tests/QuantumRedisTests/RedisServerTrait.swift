import Foundation
import QuantumRedis
import QuantumTestSupport
import Testing

/// A key no other test uses.
func uniqueKey(_ name: String = #function) -> String {
    "\(name.prefix { $0 != "(" }):\(UUID().uuidString.prefix(8))"
}

/// Runs `body` with a pooled client of `server`, shutting the client down after, also when `body` throws.
func withClient<T>(_ server: RedisServerProcess, _ body: (RedisClient) async throws -> T) async throws -> T {
    try await withClient(server, configure: { _ in }, body)
}

/// Runs `body` with a pooled client of `server` configured by `configure`, shutting the client down after.
func withClient<T>(
    _ server: RedisServerProcess,
    configure: (inout RedisClient.Configuration) -> Void,
    _ body: (RedisClient) async throws -> T
) async throws -> T {
    var configuration = RedisClient.Configuration(host: server.host, port: server.port)
    configure(&configuration)
    let client = RedisClient(configuration: configuration)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch {
        await client.shutdown()
        throw error
    }
}

/// Runs `body` with one connection to `server`, closing it after.
func withConnection<T>(_ server: RedisServerProcess, _ body: (RedisConnection) async throws -> T) async throws -> T {
    try await withConnection(server, configure: { _ in }, body)
}

/// Runs `body` with one connection to `server` configured by `configure`, closing it after.
func withConnection<T>(
    _ server: RedisServerProcess,
    configure: (inout RedisConnection.Configuration) -> Void,
    _ body: (RedisConnection) async throws -> T
) async throws -> T {
    var configuration = RedisConnection.Configuration(host: server.host, port: server.port)
    configure(&configuration)
    let connection = try await RedisConnection.connect(configuration: configuration)
    do {
        let result = try await body(connection)
        await connection.close()
        return result
    } catch {
        await connection.close()
        throw error
    }
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes; whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}
