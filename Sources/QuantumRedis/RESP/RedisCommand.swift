import NIOCore

/// One Redis command: its name and arguments, sent as an array of bulk strings.
///
/// Subcommands are arguments: `RedisCommand("XINFO", ["GROUPS", "orders"])`.
public struct RedisCommand: Sendable, Hashable, CustomStringConvertible {
    /// The command name, such as `SET` or `XREADGROUP`.
    public var name: String
    /// The arguments after the name, in order.
    public var arguments: [RedisArgument]
    /// How long the server may legitimately hold the reply (`BLOCK`, `BLPOP` timeouts); added to the command timeout.
    ///
    /// Without it a blocking command would hit the connection's command timeout before the server answers.
    public var blockingFor: Duration?

    /// A command with its arguments.
    public init(_ name: String, _ arguments: [RedisArgument] = [], blockingFor: Duration? = nil) {
        self.name = name
        self.arguments = arguments
        self.blockingFor = blockingFor
    }

    /// A command whose arguments are all text.
    public init(_ name: String, strings: [String]) {
        self.init(name, strings.map { RedisArgument.string($0) })
    }

    /// The command as text, with the arguments of `AUTH` and `HELLO` hidden so credentials stay out of logs.
    public var description: String {
        let secret = ["AUTH", "HELLO"].contains(name.uppercased())
        return ([name] + arguments.map { secret ? "***" : $0.description }).joined(separator: " ")
    }
}
