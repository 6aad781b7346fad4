import NIOSSL

extension RedisClient {
    /// How the pool connects and how many connections it keeps.
    public struct Configuration: Sendable {
        /// How each connection connects, logs in and times out.
        public var connection: RedisConnection.Configuration
        /// The most connections open at once; callers beyond it wait for one to be released.
        public var poolSize: Int
        /// The wait between failed connection attempts; callers arriving during it fail at once.
        public var reconnectBackoff: RedisBackoff

        /// A configuration from a connection configuration; defaults: 4 connections, the default backoff.
        public init(connection: RedisConnection.Configuration, poolSize: Int = 4, reconnectBackoff: RedisBackoff = .init()) {
            self.connection = connection
            self.poolSize = poolSize
            self.reconnectBackoff = reconnectBackoff
        }

        /// A configuration from its parts; see `RedisConnection.Configuration` for each.
        public init(
            host: String = "127.0.0.1",
            port: Int = RedisURL.defaultPort,
            username: String? = nil,
            password: String? = nil,
            database: Int? = nil,
            tls: TLSConfiguration? = nil,
            poolSize: Int = 4,
            commandTimeout: Duration? = .seconds(10),
            connectTimeout: Duration = .seconds(5),
            reconnectBackoff: RedisBackoff = .init()
        ) {
            self.init(
                connection: RedisConnection.Configuration(
                    host: host, port: port, username: username, password: password, database: database, tls: tls,
                    commandTimeout: commandTimeout, connectTimeout: connectTimeout
                ),
                poolSize: poolSize,
                reconnectBackoff: reconnectBackoff
            )
        }

        /// A configuration from a `redis://` or `rediss://` URL; throws `.invalidURL`.
        public init(
            url: String,
            poolSize: Int = 4,
            commandTimeout: Duration? = .seconds(10),
            connectTimeout: Duration = .seconds(5),
            reconnectBackoff: RedisBackoff = .init()
        ) throws {
            var connection = try RedisConnection.Configuration(url: url)
            connection.commandTimeout = commandTimeout
            connection.connectTimeout = connectTimeout
            self.init(connection: connection, poolSize: poolSize, reconnectBackoff: reconnectBackoff)
        }
    }
}
