import ArgumentParser
import Foundation
import Logging
import QuantumServices
import QuantumBus
import QuantumCore
import QuantumOps
import ServiceLifecycle

/// `quantum service NAME`: one service of the pipeline in its own process, over a shared bus and a venue.
///
/// Distributed mode runs each service like this: on Redis (`--redis URL`) the processes may run on any number of
/// machines; on a SQLite state directory, on one. The crash tests run the apply-layer this way and kill it.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Run one service of the pipeline against a venue (distributed mode; one process per service).")

    @Argument(help: "apply-layer, exit-brain, harvest, intent-bridge, health-monitor, market-state or signal-bot.") var name: String
    @OptionGroup var state: StateOptions
    @OptionGroup var trading: TradingOptions
    @Option(help: "REST base URL of the Binance-compatible venue.") var venue: String
    @Option(help: "API key (else QUANTUM_VENUE_API_KEY).") var apiKey: String?
    @Option(help: "API secret (else QUANTUM_VENUE_API_SECRET).") var apiSecret: String?
    @OptionGroup var alerts: AlertOptions
    @Option(help: "Serve this process's own /metrics (request and order latencies, rate-limit headroom) on this loopback port.") var metricsPort: Int?

    func validate() throws {
        guard TradingSystem.Part(rawValue: name) != nil else {
            throw ValidationError("unknown service '\(name)'; one of \(TradingSystem.Part.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if (apiKey == nil) != (apiSecret == nil) { throw ValidationError("--api-key and --api-secret go together") }
        if let metricsPort {
            guard (1...65_535).contains(metricsPort) else { throw ValidationError("--metrics-port must be 1…65535, got \(metricsPort)") }
            if let problem = PortProbe.bindError(host: "127.0.0.1", port: metricsPort) { throw ValidationError("--metrics-port: \(problem)") }
        }
    }

    func run() async throws {
        let (webhook, registry) = alerts.bootstrap(system: "quantum \(name)")
        let logger = Logger(label: "quantum.\(name)")
        let configuration = try trading.configuration()
        let launch = try await Launch.start(venue: .external(url: venue, apiKey: apiKey, apiSecret: apiSecret), symbols: configuration.symbols,
                                            leverage: configuration.bridge.leverage, logger: logger)
        // On Redis the append watcher wakes this process's readers on its peers' appends; the poll is a fallback.
        let (log, store) = try state.open(create: true, clock: launch.clock, othersAppend: .milliseconds(250))
        let system = TradingSystem(configuration: launch.fitted(configuration), venue: launch.venue, log: log, store: store, clock: launch.clock, logger: logger)
        let part = TradingSystem.Part(rawValue: name)!
        var services = system.services([part]).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        if let redis = log as? RedisEventLog { services.insert(.init(service: redis.appendWatcher(logger: logger)), at: 0) }
        if let webhook { services.insert(.init(service: webhook), at: 0) }
        if let metricsPort { services.insert(.init(service: MetricsServer(registry: registry, port: metricsPort, logger: logger)), at: 0) }
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A service that does not finish its graceful shutdown in time is cancelled, and the process still ends.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        FileHandle.standardError.write(Data("\(name) running against \(venue), state \(state.location)\n".utf8))
        // Under systemd (Type=notify): ready once started, and the watchdog fed only while this process's services beat on time.
        let notifier = SystemdNotifier()
        notifier.ready()
        let watched = Set(part.serviceNames.map(\.rawValue))
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask {
                await notifier.watchdog {
                    let beats = (try? await log.reverseRange(StreamName.heartbeat, from: .max, to: .zero, count: 200)) ?? []
                    let now = SystemEpochClock().now()
                    return watched.allSatisfy { service in
                        beats.contains { entry in
                            guard let beat = try? Heartbeat.decode(entry.fields), beat.service.rawValue == service, let wall = beat.wallClock else { return false }
                            return now.duration(since: wall) <= beat.interval * 3
                        }
                    }
                }
            }
            try await group.run()
            notifier.stopping()
            tasks.cancelAll()
        }
    }
}
