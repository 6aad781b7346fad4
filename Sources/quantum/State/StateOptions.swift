import ArgumentParser
import Foundation
import QuantumBus
import QuantumCore
import QuantumRedis

/// `--state DIR` or `--redis URL`: where the bus and the state live, shared by `run`, `service` and the operator commands.
///
/// A state directory holds one SQLite file (one machine; several processes may share it). Redis lets the services run
/// on several machines; its streams and keys carry the system's own names, so `redis-cli` shows the truth.
struct StateOptions: ParsableArguments {
    @Option(help: "State directory (SQLite bus and state).")
    var state = "./quantum-state"

    @Option(help: ArgumentHelp("Redis URL (redis://[user:password@]host[:port][/db] or rediss:// for TLS): the bus and state live in Redis instead of --state.",
                               valueName: "url"))
    var redis: String?

    var databasePath: String { URL(fileURLWithPath: state).appendingPathComponent("quantum.sqlite").path }

    /// Where the state lives, for messages (a Redis URL without its password).
    var location: String {
        guard let redis else { return state }
        guard let url = try? RedisURL(redis) else { return "redis" }
        return "redis\(url.tls ? "s" : "")://\(url.host):\(url.port)\(url.database.map { "/\($0)" } ?? "")"
    }

    /// Whether the Redis server answers (nil) or what is wrong; nil without `--redis`.
    func redisProblem() async -> String? {
        guard let redis else { return nil }
        do {
            let client = RedisClient(configuration: try RedisClient.Configuration(url: redis, poolSize: 1, commandTimeout: .seconds(3),
                                                                                   connectTimeout: .seconds(3)))
            defer { Task { await client.shutdown() } }
            _ = try await client.send(RedisCommand("PING"))
            return nil
        } catch {
            return "\(location) does not answer: \(error)"
        }
    }

    /// The option that names this state again, for the commands a message suggests.
    var option: String { redis == nil ? "--state \(state)" : "--redis \(location)" }

    func validate() throws {
        if let redis {
            do { _ = try RedisURL(redis) } catch { throw ValidationError("--redis: \(error)") }
        }
    }

    /// Opens the state, creating the directory when `create` (else it must exist: a typo must not start an empty state).
    ///
    /// `othersAppend` is how soon a blocked read must notice an append made by another process (on Redis: how often it
    /// looks). Appends of this process wake its readers at once either way. `durability` applies to a state directory;
    /// on Redis the server's `appendfsync` decides it.
    func open(create: Bool, clock: any EpochClock = SystemEpochClock(), othersAppend: Duration = .milliseconds(10),
              durability: SQLiteDatabase.Durability = .powerCut) throws -> (log: any EventLog, store: any StateStore) {
        if let redis {
            let configuration: RedisClient.Configuration
            do { configuration = try RedisClient.Configuration(url: redis, poolSize: 16) } catch { throw ValidationError("--redis: \(error)") }
            let client = RedisClient(configuration: configuration)
            return (RedisEventLog(client: client, clock: clock, pollInterval: othersAppend), RedisStateStore(client: client, clock: clock))
        }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: state, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue { throw ValidationError("--state \(state) is a file, not a directory") }
        if !exists {
            guard create else { throw ValidationError("no state at \(state): start the system with `quantum run --state \(state)` first") }
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        }
        if !create, !FileManager.default.fileExists(atPath: databasePath) {
            throw ValidationError("no state at \(state): start the system with `quantum run --state \(state)` first")
        }
        let database = try SQLiteDatabase(path: databasePath, durability: durability)
        return (SQLiteEventLog(database: database, clock: clock), SQLiteStateStore(database: database, clock: clock))
    }
}
