import ArgumentParser
import Foundation
import Logging
import QuantumServices
import ServiceLifecycle

/// `quantum service NAME`: one service of the pipeline in its own process, over a shared state directory and a venue.
///
/// Distributed mode runs each service like this (the bus over Redis arrives with that mode; here the
/// bus is the SQLite state directory, which several processes can share). The crash tests run the
/// apply-layer this way and kill it.
struct ServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "service", abstract: "Run one service (apply-layer, intent-bridge, market-state, signal-bot) against a venue.")

    @Argument(help: "apply-layer, intent-bridge, market-state or signal-bot.") var name: String
    @OptionGroup var state: StateOptions
    @OptionGroup var trading: TradingOptions
    @Option(help: "REST base URL of the Binance-compatible venue.") var venue: String
    @Option(help: "API key (else QUANTUM_VENUE_API_KEY).") var apiKey: String?
    @Option(help: "API secret (else QUANTUM_VENUE_API_SECRET).") var apiSecret: String?
    @Option(help: "Log level.") var logLevel = "warning"

    func validate() throws {
        guard TradingSystem.Part(rawValue: name) != nil else {
            throw ValidationError("unknown service '\(name)'; one of \(TradingSystem.Part.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be a swift-log level") }
        if (apiKey == nil) != (apiSecret == nil) { throw ValidationError("--api-key and --api-secret go together") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "quantum.\(name)")
        let configuration = try trading.configuration()
        let launch = try await Launch.start(venue: .external(url: venue, apiKey: apiKey, apiSecret: apiSecret), symbols: configuration.symbols,
                                            leverage: configuration.bridge.leverage, logger: logger)
        let (log, store) = try state.open(create: true, clock: launch.clock)
        let system = TradingSystem(configuration: configuration, venue: launch.venue, log: log, store: store, clock: launch.clock, logger: logger)
        let services = system.services([TradingSystem.Part(rawValue: name)!]).map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A service that does not finish its graceful shutdown in time is cancelled, and the process still ends.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        FileHandle.standardError.write(Data("\(name) running against \(venue), state \(state.state)\n".utf8))
        try await group.run()
    }
}
