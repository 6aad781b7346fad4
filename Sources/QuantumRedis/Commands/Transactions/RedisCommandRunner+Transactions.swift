extension RedisCommandRunner {
    /// Runs `commands` atomically: `MULTI`, the commands, `EXEC`, pipelined on one connection.
    ///
    /// Returns each command's result in order (a command can fail inside a transaction without aborting the
    /// others, such as `WRONGTYPE`); nil if `EXEC` aborted because a `WATCH`ed key changed. Throws `EXECABORT` as
    /// `.server` when a command was rejected while queueing, and `.connectionClosed` if the connection broke.
    public func transaction(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>]? {
        let results = try await pipeline([RedisCommand("MULTI")] + commands + [RedisCommand("EXEC")])
        return try Self.execResults(results, expected: commands.count)
    }

    /// The per-command results from the replies of `MULTI`, the queued commands and `EXEC`.
    static func execResults(_ results: [Result<RESPValue, RedisError>], expected: Int) throws
        -> [Result<RESPValue, RedisError>]?
    {
        guard let exec = results.last else { return [] }
        // A broken connection or a refused MULTI explains everything after it.
        if case .failure(let error) = results[0] { throw error }
        let reply: RESPValue
        switch exec {
        case .success(let value): reply = value
        case .failure(let error):
            // EXECABORT: name the first command that was refused while queueing.
            let queued = results.dropFirst().dropLast()
            if error.code == .server, case .failure(let cause)? = queued.first(where: { $0.errorCode != nil }) {
                throw RedisError(.server, "\(error.message) (\(cause.message))")
            }
            throw error
        }
        if reply.isNull { return nil }
        guard let values = reply.array, values.count == expected else { throw RedisError.unexpected(reply, from: "EXEC") }
        return values.map { value in
            if case .error(let message) = value { return .failure(RedisError(serverReply: message)) }
            return .success(value)
        }
    }
}

extension RedisClient {
    /// An optimistic transaction: `WATCH keys`, `build` reads what it needs on the leased connection and returns the
    /// commands to run, then `MULTI`/commands/`EXEC`.
    ///
    /// Returns nil if a watched key changed in between (retry it), else each command's result. An empty command list
    /// just unwatches.
    public func watchTransaction(
        watching keys: [String],
        isolation: isolated (any Actor)? = #isolation,
        _ build: (RedisConnection) async throws -> [RedisCommand]
    ) async throws -> [Result<RESPValue, RedisError>]? {
        try await withConnection { connection in
            _ = try await connection.send(RedisCommand("WATCH", keys.map { RedisArgument.string($0) }))
            let commands: [RedisCommand]
            do {
                commands = try await build(connection)
            } catch {
                // A server error keeps the connection in the pool: it must not stay WATCHing.
                _ = try? await connection.send(RedisCommand("UNWATCH"))
                throw error
            }
            guard !commands.isEmpty else {
                _ = try await connection.send(RedisCommand("UNWATCH"))
                return []
            }
            return try await connection.transaction(commands)
        }
    }
}
