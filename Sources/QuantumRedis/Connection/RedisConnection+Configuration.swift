import NIOCore
import NIOSSL

extension RedisConnection {
    /// The protocol version a connection speaks.
    public enum ProtocolVersion: Sendable, Hashable {
        /// RESP2, the default every Redis speaks.
        case resp2
        /// RESP3, negotiated with `HELLO 3` (Redis 6 and later): maps, sets, doubles and booleans in replies.
        case resp3
    }

    /// Where and how one connection connects, logs in and waits.
    public struct Configuration: Sendable {
        /// The server's host name or IP address.
        public var host: String
        /// The server's TCP port.
        public var port: Int
        /// The ACL user; nil logs in as `default` (with `password` alone).
        public var username: String?
        /// The password for `AUTH`; nil sends no `AUTH`.
        public var password: String?
        /// The database to `SELECT` after connecting; nil keeps database 0.
        public var database: Int?
        /// A name set with `CLIENT SETNAME`, shown in `CLIENT LIST`; nil sets none.
        public var clientName: String?
        /// TLS settings; nil connects in plain text.
        public var tls: TLSConfiguration?
        /// The name checked against the server certificate; nil uses `host` unless it is an IP address.
        public var tlsServerName: String?
        /// RESP2 (default) or RESP3.
        public var protocolVersion: ProtocolVersion
        /// How long a command may wait for its reply (plus its `blockingFor`); nil waits forever.
        public var commandTimeout: Duration?
        /// How long opening the TCP connection may take.
        public var connectTimeout: Duration
        /// Limits on the replies the decoder accepts.
        public var decoder: RESPDecoder.Configuration

        /// A configuration with defaults: 127.0.0.1:6379, RESP2, 10 s command timeout, 5 s connect timeout.
        public init(
            host: String = "127.0.0.1",
            port: Int = RedisURL.defaultPort,
            username: String? = nil,
            password: String? = nil,
            database: Int? = nil,
            clientName: String? = nil,
            tls: TLSConfiguration? = nil,
            tlsServerName: String? = nil,
            protocolVersion: ProtocolVersion = .resp2,
            commandTimeout: Duration? = .seconds(10),
            connectTimeout: Duration = .seconds(5),
            decoder: RESPDecoder.Configuration = .init()
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.clientName = clientName
            self.tls = tls
            self.tlsServerName = tlsServerName
            self.protocolVersion = protocolVersion
            self.commandTimeout = commandTimeout
            self.connectTimeout = connectTimeout
            self.decoder = decoder
        }

        /// A configuration from a parsed URL; `rediss` turns on TLS with `TLSConfiguration.makeClientConfiguration()`.
        public init(url: RedisURL) {
            self.init(
                host: url.host,
                port: url.port,
                username: url.username,
                password: url.password,
                database: url.database,
                tls: url.tls ? .makeClientConfiguration() : nil
            )
        }

        /// A configuration from a `redis://` or `rediss://` URL string; throws `.invalidURL`.
        public init(url: String) throws {
            self.init(url: try RedisURL(url))
        }

        /// The commands that log in and set up a new connection, in order; the first is `HELLO` or `AUTH` if any.
        var handshake: [RedisCommand] {
            var commands: [RedisCommand] = []
            switch protocolVersion {
            case .resp3:
                var arguments: [RedisArgument] = ["3"]
                if let password { arguments += ["AUTH", .string(username ?? "default"), .string(password)] }
                if let clientName { arguments += ["SETNAME", .string(clientName)] }
                commands.append(RedisCommand("HELLO", arguments))
            case .resp2:
                if let password {
                    commands.append(RedisCommand("AUTH", username.map { [.string($0), .string(password)] } ?? [.string(password)]))
                }
                if let clientName { commands.append(RedisCommand("CLIENT", ["SETNAME", .string(clientName)])) }
            }
            if let database, database != 0 { commands.append(RedisCommand("SELECT", [.integer(database)])) }
            return commands
        }
    }
}
