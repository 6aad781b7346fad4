/// Anything that runs Redis commands: the pooled `RedisClient` or one `RedisConnection`.
///
/// The typed helpers (`xadd`, `hset`, `evalsha`...) are extensions of this protocol, so they work on the pool and,
/// inside `withConnection`, on a single connection alike.
public protocol RedisCommandRunner: Sendable {
    /// Sends one command and returns its reply; a server error reply is thrown as `RedisError` code `.server`.
    func send(_ command: RedisCommand) async throws -> RESPValue
    /// Sends commands pipelined on one connection and returns each reply in order.
    func pipeline(_ commands: [RedisCommand]) async throws -> [Result<RESPValue, RedisError>]
}

extension RedisClient: RedisCommandRunner {}
extension RedisConnection: RedisCommandRunner {}

extension RESPValue {
    /// The reply's text, or `.unexpectedReply` naming the `command`.
    func expectString(_ command: String) throws -> String {
        guard let text = string else { throw RedisError.unexpected(self, from: command) }
        return text
    }

    /// The reply as an integer, or `.unexpectedReply` naming the `command`.
    func expectInt(_ command: String) throws -> Int {
        guard let value = int else { throw RedisError.unexpected(self, from: command) }
        return value
    }

    /// The reply's elements, or `.unexpectedReply` naming the `command`.
    func expectArray(_ command: String) throws -> [RESPValue] {
        guard let values = array else { throw RedisError.unexpected(self, from: command) }
        return values
    }
}

extension RedisError {
    /// A reply of a shape the helper for `command` does not understand.
    static func unexpected(_ reply: RESPValue, from command: String) -> RedisError {
        RedisError(.unexpectedReply, "\(command) replied \(reply)")
    }
}

extension Duration {
    /// The duration in whole milliseconds (rounded down), as Redis takes `PX`, `BLOCK` and `IDLE` arguments.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
