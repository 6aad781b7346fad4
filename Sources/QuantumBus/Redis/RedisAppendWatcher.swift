import Logging
import QuantumCore
import QuantumRedis
import ServiceLifecycle

/// Wakes this process's blocked readers when another process appends to a stream they wait on: one blocking `XREAD`
/// over every waited stream, on a connection of its own.
///
/// Without it a blocked `readNew` notices other processes' appends only by looking every poll interval (one script
/// call per reader per interval). With it, a reader in `quantum service` wakes within a round trip of a peer's
/// append, and the poll is only a fallback for the instant between a reader's look and the next `XREAD`.
public final class RedisAppendWatcher: Service, Sendable {
    private let configuration: RedisConnection.Configuration
    private let names: RedisBusNames
    private let notifier: AppendNotifier
    private let logger: Logger
    /// How long one `XREAD` blocks: a stream newly waited on is included within this.
    static let block: Duration = .milliseconds(200)

    init(configuration: RedisConnection.Configuration, names: RedisBusNames, notifier: AppendNotifier, logger: Logger) {
        self.configuration = configuration
        self.names = names
        self.notifier = notifier
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await self.watch()
        }
    }

    private func watch() async {
        var lastSeen: [String: String] = [:]
        var connection: RedisConnection?
        while !Task.isCancelled {
            let streams = notifier.waitedStreams()
            guard !streams.isEmpty else {
                try? await Task.sleep(for: Self.block)
                continue
            }
            do {
                if connection == nil || connection?.isActive == false {
                    connection = try await RedisConnection.connect(configuration: configuration)
                }
                guard let connection else { continue }
                // A stream watched for the first time: its newest id now, then one wake-up of its readers, so an append
                // made between a reader's last look and this moment is looked for once more; later ones XREAD sees.
                for stream in streams where lastSeen[stream] == nil {
                    let newest = try await connection.send(RedisCommand("XREVRANGE", [.string(names.key(stream)), "+", "-", "COUNT", 1]))
                    lastSeen[stream] = newest.array?.first?.array?.first?.string ?? "0-0"
                    notifier.notify(stream)
                }
                let arguments: [RedisArgument] = ["COUNT", 1, "BLOCK", .integer(Int(Self.block.wholeMilliseconds)), "STREAMS"]
                    + streams.map { .string(names.key($0)) } + streams.map { .string(lastSeen[$0] ?? "0-0") }
                let reply = try await connection.send(RedisCommand("XREAD", arguments, blockingFor: Self.block))
                for item in reply.array ?? [] {
                    guard let pair = item.array, pair.count == 2, let key = pair[0].string,
                          let newest = pair[1].array?.last?.array?.first?.string else { continue }
                    let stream = String(key.dropFirst(names.namespace.count))
                    lastSeen[stream] = newest
                    notifier.notify(stream)
                }
            } catch is CancellationError {
                break
            } catch {
                logger.warning("the append watcher lost Redis; readers fall back to polling", metadata: ["error": "\(error)"])
                await connection?.close()
                connection = nil
                try? await Task.sleep(for: .seconds(1))
            }
        }
        await connection?.close()
    }
}

extension RedisEventLog {
    /// The service that wakes this log's blocked readers on other processes' appends (run it beside the services).
    public func appendWatcher(logger: Logger) -> RedisAppendWatcher {
        RedisAppendWatcher(configuration: client.configuration.connection, names: names, notifier: notifier, logger: logger)
    }
}
