/// An error from the Redis client: a server error reply, a broken connection, a malformed reply or bad input.
///
/// One struct for every failure, in the style of postgres-nio and Hummingbird: switch on `code`,
/// read `message` for the detail (for `.server`, the server's error line, such as `NOSCRIPT No matching script`).
public struct RedisError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: Sendable, Hashable, CustomStringConvertible {
        /// The server answered the command with an error reply; `message` holds it.
        case server
        /// The server rejected the credentials (`WRONGPASS`, `NOAUTH`, or an error reply to `AUTH`/`HELLO`).
        case authentication
        /// The bytes from the server are not valid RESP, or a reply did not fit the request.
        case protocolViolation
        /// A reply exceeds the decoder's limits (bulk length, element count or nesting depth).
        case replyTooLarge
        /// The connection closed (or was closed) before the reply arrived; the command may or may not have run.
        case connectionClosed
        /// A new connection could not be opened (refused, unreachable, connect timeout, TLS failure).
        case connectionFailed
        /// No reply within the command timeout; the connection is closed since its reply stream can no longer be trusted.
        case timeout
        /// A `redis://` or `rediss://` URL could not be parsed.
        case invalidURL
        /// A reply had a shape that a typed command helper did not expect.
        case unexpectedReply
        /// The client was shut down.
        case clientShutdown

        public var description: String {
            switch self {
            case .server: "server error"
            case .authentication: "authentication failed"
            case .protocolViolation: "protocol violation"
            case .replyTooLarge: "reply too large"
            case .connectionClosed: "connection closed"
            case .connectionFailed: "connection failed"
            case .timeout: "timeout"
            case .invalidURL: "invalid URL"
            case .unexpectedReply: "unexpected reply"
            case .clientShutdown: "client shut down"
            }
        }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The detail: the server's error line for `.server`, otherwise a human-readable explanation.
    public var message: String

    /// An error of `code` with a detail `message`.
    public init(_ code: Code, _ message: String = "") {
        self.code = code
        self.message = message
    }

    /// The error for a server error reply: `.authentication` for credential failures, else `.server`.
    public init(serverReply message: String) {
        let prefix = message.prefix { $0 != " " }
        self.init(prefix == "WRONGPASS" || prefix == "NOAUTH" ? .authentication : .server, message)
    }

    /// The first word of a server error reply (`ERR`, `NOSCRIPT`, `BUSYGROUP`, `WRONGTYPE`...), nil for other errors.
    ///
    /// Redis prefixes error replies with an upper-case kind that callers branch on.
    public var serverErrorKind: Substring? {
        guard code == .server || code == .authentication, !message.isEmpty else { return nil }
        return message.prefix { $0 != " " }
    }

    public var description: String {
        message.isEmpty ? "RedisError(\(code))" : "RedisError(\(code)): \(message)"
    }
}
