import Foundation
import Logging
import QuantumBinance
import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumServices
import QuantumSim
import QuantumVenue

/// One seed of a soak: the whole system — market-state, signal-bot, intent-bridge, the apply-layer and its
/// protection monitor, exit-brain, harvest, the health monitor, the real Binance adapter — against the paper
/// exchange in one process, on the seed's scheduler and virtual clock, with the seed's faults, judged by the
/// exchange's own records.
public enum SoakRun {
    /// Where every seed's simulated time starts (fixed, so a seed is the whole of what varies).
    public static let start = EpochMillis(1_750_000_020_000)

    /// Runs one seed and reports what it found.
    public static func run(seed: UInt64, configuration: SoakConfiguration) async -> SoakOutcome {
        let wall = ContinuousClock.now
        let scheduler = SimulationScheduler(seed: seed, start: start)
        let end = start.advanced(by: configuration.duration)
        let outcome = await Simulation.run(on: scheduler, until: end.advanced(by: .seconds(3_600))) {
            do {
                return try await body(seed: seed, configuration: configuration, scheduler: scheduler, end: end)
            } catch {
                return SoakOutcome(seed: seed, failure: "the soak could not start: \(error)")
            }
        }
        var result = outcome ?? SoakOutcome(seed: seed, failure: "the simulation stopped before its end (a task escaped the scheduler?)")
        result.wallSeconds = (ContinuousClock.now - wall).seconds
        result.simulatedSeconds = configuration.duration.seconds
        result.steps = scheduler.steps
        result.escapedJobs = scheduler.escapedJobs
        if result.violated, let directory = configuration.traceDirectory {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let file = directory.appendingPathComponent("soak-seed-\(seed).trace")
            try? result.trace.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
            result.traceFile = file.path
        }
        return result
    }

    private static func body(seed: UInt64, configuration: SoakConfiguration, scheduler: SimulationScheduler,
                             end: EpochMillis) async throws -> SoakOutcome {
        // QUANTUM_SOAK_LOG=info (or debug, notice, …) shows what the services did; quiet otherwise.
        let level = ProcessInfo.processInfo.environment["QUANTUM_SOAK_LOG"].flatMap(Logger.Level.init(rawValue:))
        var soakLogger = level == nil ? Logger(label: "quantum.soak", factory: { _ in SwiftLogNoOpLogHandler() }) : Logger(label: "quantum.soak")
        if let level { soakLogger.logLevel = level }
        let logger = soakLogger

        // The exchange, on the virtual clock.
        var setup = SimulatorSetup()
        setup.symbols = configuration.symbols
        setup.market = configuration.data.map { .replay(directory: $0) } ?? .synthetic(seed: seed)
        setup.syntheticStep = configuration.tick
        setup.flashMovesPerDay = configuration.flashMovesPerDay
        let host = try setup.makeHost(clock: scheduler)
        let credential = SimulatorSetup.defaultCredential
        let credentials = VenueCredentials(environment: .custom, apiKey: credential.apiKey, secretKey: credential.secretKey)
        @Sendable func adapter(_ transport: any VenueTransport) throws -> BinanceFuturesVenue {
            try BinanceFuturesVenue(endpoints: try VenueEndpoints.custom("http://soak.invalid"), credentials: credentials, clock: scheduler,
                                    transport: transport, logger: logger)
        }
        // A person at the exchange's web page: outside the process, so its crashes do not touch them.
        let manual = try adapter(InProcessTransport(host: host))

        // The bus and the store, in memory: what survives a crash of the process.
        let log = InMemoryEventLog(clock: scheduler)
        let baseStore = InMemoryStateStore(clock: scheduler)
        let disk = SoakDisk()

        // The system, as `quantum run` wires it.
        var trading = TradingSystem.Configuration(symbols: configuration.symbols,
                                                  signals: SignalBotService.Configuration(bot: try SignalBot.Configuration.standard(fallback: false)))
        if let window = configuration.seams.absenceWindow { trading.executor.absenceWindow = window }
        let lives = SoakLives(clock: scheduler)
        let faults = SoakFaultDriver(seed: seed, host: host, clock: scheduler, store: baseStore, disk: disk,
                                     lives: lives, manual: manual, configuration: configuration)
        let checker = SoakChecker(host: host, store: baseStore, log: log, scheduler: scheduler, configuration: configuration,
                                  reconcileInterval: trading.executor.reconcileInterval)
        let seams = configuration.seams
        let system = trading

        /// One life of the process: its own connections to the exchange, the store and the bus, fenced by its death.
        @Sendable func life(_ process: SoakProcess, _ crashPoints: CrashPoints) async {
            guard let base = try? adapter(SoakTransport(base: InProcessTransport(host: host), process: process)) else { return }
            let venue = SoakVenue(base: base, unknownOutcomesAsRejections: seams.unknownOutcomesAsRejections)
            let store = SoakStateStore(baseStore, disk: disk, process: process,
                                       forgetting: (seams.forgetAppliedFills ? ["quantum:apply:fills:"] : [])
                                           + (seams.forgetJournal ? ["quantum:apply:journal:"] : []))
            var configuration = system
            configuration.faults = process.serviceFaults
            let trading = TradingSystem(configuration: configuration, venue: venue, log: SoakEventLog(base: log, process: process), store: store,
                                        clock: scheduler, logger: logger, crashPoints: crashPoints)
            await withTaskGroup(of: Void.self) { group in
                for service in trading.services() { group.addTask { try? await service.run() } }
            }
        }

        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await host.run() }
            group.addTask { await lives.run(until: end, downtime: { faults.downtime() }, life: life) }
            group.addTask { await faults.run(until: end.advanced(by: .zero - configuration.settle)) }
            group.addTask { await checker.run { faults.record.stalls + lives.downs } }
            try? await scheduler.sleep(until: end)
            group.cancelAll()
        }
        await checker.step(stalls: faults.record.stalls + lives.downs)
        var record = faults.record
        record.stalls += lives.downs
        record.log += lives.log
        await checker.finish(end: end, record: record, exitDeadline: trading.executor.exitDeadline)
        let trace = await SoakTrace.read(log: log, host: host, faults: record)
        return SoakOutcome(seed: seed, violations: checker.violations, faultsInjected: record.injected, trades: trace.trades,
                           traceHash: trace.hash, trace: trace.lines)
    }
}
