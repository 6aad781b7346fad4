import Crypto

/// A Lua script and its SHA1, for `EVALSHA` with a fallback to `EVAL` when the server does not have it cached.
public struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    public let source: String
    /// The lower-case hex SHA1 of the source: the name `EVALSHA` and `SCRIPT LOAD` use.
    public let sha1: String

    /// A script; its SHA1 is computed once here.
    public init(_ source: String) {
        self.source = source
        sha1 = Insecure.SHA1.hash(data: Array(source.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

extension RedisCommand {
    /// `EVALSHA sha1 numkeys key... arg...`.
    public static func evalsha(_ script: RedisScript, keys: [String] = [], arguments: [RedisArgument] = []) -> RedisCommand {
        RedisCommand("EVALSHA", [.string(script.sha1), .integer(keys.count)] + keys.map { RedisArgument.string($0) } + arguments)
    }

    /// `EVAL source numkeys key... arg...`.
    public static func eval(_ script: RedisScript, keys: [String] = [], arguments: [RedisArgument] = []) -> RedisCommand {
        RedisCommand("EVAL", [.string(script.source), .integer(keys.count)] + keys.map { RedisArgument.string($0) } + arguments)
    }
}

extension RedisCommandRunner {
    /// Runs `script` by its SHA1, sending the source (`EVAL`, which also caches it) only if the server replies `NOSCRIPT`.
    ///
    /// A script that fails returns its error as a thrown `.server` error, as with any command.
    public func evalsha(_ script: RedisScript, keys: [String] = [], arguments: [RedisArgument] = []) async throws -> RESPValue {
        do {
            return try await send(.evalsha(script, keys: keys, arguments: arguments))
        } catch let error as RedisError where error.serverErrorKind == "NOSCRIPT" {
            return try await send(.eval(script, keys: keys, arguments: arguments))
        }
    }

    /// `SCRIPT LOAD`: caches `script` on the server; returns the SHA1 it reports.
    @discardableResult
    public func scriptLoad(_ script: RedisScript) async throws -> String {
        try await send(RedisCommand("SCRIPT", ["LOAD", .string(script.source)])).expectString("SCRIPT LOAD")
    }
}
