import Testing

/// Starts one `redis-server` for a suite, shared by its tests, and stops it (deleting its directory) after them.
///
/// Tests sharing it use keys of their own (`uniqueKey`), so they can run in parallel.
public struct SharedRedisServer: SuiteTrait, TestScoping {
    @TaskLocal public static var current: RedisServerProcess?

    public init() {}

    public func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await RedisServerProcess.start()
        do {
            try await Self.$current.withValue(server) { try await function() }
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}

extension Trait where Self == SharedRedisServer {
    /// One `redis-server` for the whole suite.
    public static var sharedRedisServer: Self { Self() }
}

/// The suite's server; fails the test when the suite has no `.sharedRedisServer` trait.
public func sharedServer() throws -> RedisServerProcess {
    try #require(SharedRedisServer.current, "the suite needs the .sharedRedisServer trait")
}
