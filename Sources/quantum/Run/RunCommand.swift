import ArgumentParser
import Foundation
import Logging
import QuantumBinance
import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumOps
import QuantumServices
import QuantumSim
import QuantumVenue
import ServiceLifecycle

/// `quantum run`: the whole system in one process — embedded (the simulator on loopback, through the real adapter) or on any venue.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the trading system (embedded paper exchange by default).",
        discussion: """
            Embedded: the built-in Binance-compatible exchange is served on loopback and reached through the \
            real Binance adapter; state and bus live in SQLite under --state. With --venue URL the system \
            trades on that venue instead (a `quantum exchange`, Binance demo or Binance), its server time as \
            the clock. SIGINT/SIGTERM stop it gracefully; running again on the same --state resumes.
            """)

    @OptionGroup var state: StateOptions
    @OptionGroup var trading: TradingOptions

    @Option(help: "Seed of the synthetic market (embedded).") var seed: UInt64 = 1
    @Option(help: "Replay the kline CSV files (SYMBOL_1m_*.csv) under this directory (embedded); without --symbols, every symbol found there is traded.") var data: String?
    @Option(help: "Market speed (embedded): 1 (real time), a factor such as 60, or max (the market moves on as soon as the system has handled each bar).") var speed = "1"
    @Option(help: "Stop after this much market time, e.g. 30m, 6h.") var duration: String?
    @Option(help: "Faster than real time: the longest real time the market waits for the system after each bar, however still the system seems, e.g. 30s (default: 2 s, and 0.5 s without progress, so a service that is down slows a replay only a little). A longer wait keeps a replay exact on a loaded machine.")
    var paceWait: String?
    @Option(help: "Starting USDT balance of the embedded exchange.") var balance = "10000"
    @Option(help: "Minutes of market the embedded exchange plays before the start, for the strategies to warm up from (default: what the longest strategy needs, at least 200; a replay spends its first bars on it; 0 for none).")
    var historyBars: Int?
    @Option(help: "REST base URL of an external Binance-compatible venue.") var venue: String?
    @Option(help: "API key of the external venue (else QUANTUM_VENUE_API_KEY).") var apiKey: String?
    @Option(help: "API secret of the external venue (else QUANTUM_VENUE_API_SECRET).") var apiSecret: String?
    @Option(help: ArgumentHelp("What a state write survives once it returned: power-cut (fsynced) or process-crash (no fsync). Default: process-crash on the embedded exchange, whose own accounts live in memory, power-cut with --venue.",
                               valueName: "power-cut|process-crash"))
    var durability: String?
    @Option(help: "Write the final summary as JSON to this file.") var summaryJson: String?
    @Option(help: "Print a progress line this often (real time); 0 for none.") var progressEvery = "10s"
    @OptionGroup var ops: OpsOptions
    @Option(help: "Fire drill: crash each service in turn, one this often (market time), e.g. 30m.") var chaosCrashEvery: String?
    @Option(help: "Fire drill: how long a crashed service stays down before its restart (market time).") var chaosDowntime = "5m"
    @Flag(help: "After a --duration run, keep the dashboard and /metrics up (showing its final state) until SIGINT/SIGTERM.") var keepServing = false

    /// `max` has no market rate: the clock is stepped (`ScaledEpochClock`), standing still while the system works on a
    /// bar and moving to the next tick once it has caught up, so a replay runs as fast as the system handles it.
    static let maxSpeed = Double.infinity
    /// The fastest rate the work intervals are stretched for (`TradingSystem.Configuration.stretchWorkIntervals`):
    /// `max` stretches them as 10 000× does, so heartbeats and account reads stay a few per hundred bars.
    static let fastestStretchedSpeed = 10_000.0

    var speedFactor: Double? {
        if speed.lowercased() == "max" { return Self.maxSpeed }
        guard let factor = Double(speed.lowercased().hasPrefix("x") ? String(speed.dropFirst()) : speed), factor.isFinite, factor > 0, factor <= 10_000 else { return nil }
        return factor
    }

    func validate() throws {
        if let durability, SQLiteDatabase.Durability(rawValue: durability) == nil {
            throw ValidationError("--durability must be power-cut or process-crash, got \(durability)")
        }
        guard speedFactor != nil else { throw ValidationError("--speed must be a factor in (0, 10000] or max, got \(speed)") }
        if let duration { _ = try DurationText.parse(duration, option: "--duration") }
        if progressEvery != "0" { _ = try DurationText.parse(progressEvery, option: "--progress-every") }
        if let chaosCrashEvery {
            _ = try DurationText.parse(chaosCrashEvery, option: "--chaos-crash-every")
            _ = try DurationText.parse(chaosDowntime, option: "--chaos-downtime")
        }
        if keepServing, duration == nil || ops.noDashboard { throw ValidationError("--keep-serving needs --duration and a dashboard") }
        if venue != nil {
            if data != nil || seed != 1 || speed != "1" { throw ValidationError("--data, --seed and --speed describe the embedded exchange; an external venue runs at its own pace") }
        }
        if let historyBars, !(0...1_500).contains(historyBars) { throw ValidationError("--history-bars must be within 0…1500, got \(historyBars)") }
        if let paceWait { _ = try DurationText.parse(paceWait, option: "--pace-wait") }
        if venue != nil, paceWait != nil { throw ValidationError("--pace-wait paces the embedded exchange; an external venue runs at its own pace") }
        if venue != nil, historyBars != nil { throw ValidationError("--history-bars describes the embedded exchange; an external venue has its own history") }
        if (apiKey == nil) != (apiSecret == nil) { throw ValidationError("--api-key and --api-secret go together") }
        guard let amount = try? Notional(parsing: balance), amount.isPositive else { throw ValidationError("--balance must be a positive decimal, got \(balance)") }
    }

    /// Without `--symbols` (or a file naming them), a replay trades every symbol it has 1-minute klines of; the ones
    /// the exchange does not list are named on standard error, not silently dropped.
    func replaySymbols() throws -> [Symbol]? {
        guard let data, trading.symbols == nil, venue == nil else { return nil }
        let found: (listed: [Symbol], unlisted: [String])
        do { found = try SimulatorSetup.replaySymbols(in: URL(fileURLWithPath: data)) } catch { throw ValidationError("--data: \(error)") }
        if !found.unlisted.isEmpty {
            FileHandle.standardError.write(Data("note: \(data) has klines of \(found.unlisted.joined(separator: ", ")), which the paper exchange does not list; not traded\n".utf8))
        }
        guard !found.listed.isEmpty else { throw ValidationError("--data: no SYMBOL_1m_*.csv file of a listed symbol under \(data)") }
        return found.listed
    }

    /// `--symbols all`: the 300 symbols of the embedded exchange's synthetic market, or every symbol an external venue
    /// lists as trading (read from its exchangeInfo before the start).
    func allSymbols(logger: Logger) async throws -> [Symbol]? {
        guard trading.wantsAllSymbols else { return nil }
        guard let venue else {
            if data != nil { throw ValidationError("--symbols all trades the synthetic market's listing; a replay trades the symbols of its files (leave --symbols out)") }
            return SyntheticUniverse.symbols()
        }
        do {
            let probe = try BinanceFuturesVenue(endpoints: try VenueEndpoints.custom(venue), credentials: nil, logger: logger)
            let listed = try await probe.symbolRules().values.filter { $0.status == "TRADING" }.map(\.symbol).sorted()
            guard !listed.isEmpty else { throw ValidationError("--symbols all: \(venue) lists no trading symbol") }
            return listed
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("--symbols all: cannot read the venue's listing: \(error)")
        }
    }

    /// Up to ten symbols by name, more by count.
    static func shortList(_ symbols: [Symbol]) -> String {
        let names = symbols.map(\.rawValue)
        return names.count <= 10 ? names.joined(separator: ",") : names.prefix(5).joined(separator: ",") + ",… (\(names.count) symbols)"
    }

    /// What the state's writes survive: asked for, or by default as much as the venue itself survives.
    var stateDurability: SQLiteDatabase.Durability {
        durability.flatMap(SQLiteDatabase.Durability.init(rawValue:)) ?? (venue == nil ? .processCrash : .powerCut)
    }

    func run() async throws {
        let (webhook, registry) = ops.alerts.bootstrap(system: "quantum run")
        let logger = Logger(label: "quantum")
        var configuration = try trading.configuration(defaultSymbols: try await allSymbols(logger: logger) ?? replaySymbols())
        if venue == nil, let factor = speedFactor {
            configuration.stretchWorkIntervals(by: min(factor, Self.fastestStretchedSpeed) / 10)
            // Faster than real time the market is paced (below), and the exits are judged at each bar's close.
            if factor > 1 { configuration.judgeExitsAtBarCloses() }
        }
        let drill = try chaosCrashEvery.map { (every: try DurationText.parse($0, option: "--chaos-crash-every"),
                                               downtime: try DurationText.parse(chaosDowntime, option: "--chaos-downtime")) }
        if drill != nil { configuration.faults = ServiceFaults() }
        let launch = try await Launch.start(
            venue: venue.map { .external(url: $0, apiKey: apiKey, apiSecret: apiSecret) }
                ?? .embedded(speed: speedFactor ?? 1, market: data.map { .replay(directory: URL(fileURLWithPath: $0)) } ?? .synthetic(seed: seed),
                             balance: try Notional(parsing: balance), historyBars: historyBars ?? configuration.warmedMarketState.backfill),
            symbols: configuration.symbols, leverage: configuration.bridge.leverage, logger: logger)
        defer { Task { await launch.stop() } }
        // On Redis the append watcher wakes readers on other processes' appends (`quantum close`, `halt`); the poll is a fallback.
        let (log, store) = try state.open(create: true, clock: launch.clock, othersAppend: .milliseconds(250), durability: stateDurability)
        let system = TradingSystem(configuration: launch.fitted(configuration), venue: launch.venue, log: log, store: store, clock: launch.clock, logger: logger)
        var pacer: MarketPacer?
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = system.services().map { .init(service: $0) }
        if let host = launch.exchange?.host, let marketClock = launch.marketClock, marketClock.factor > 1 {
            // Faster than real time, the market waits for the system at every bar instead of leaving it behind, and
            // first moves once the system has handled the history it starts from.
            var pacing = MarketPacer.Configuration()
            if let paceWait {
                let wait = try DurationText.parse(paceWait, option: "--pace-wait")
                pacing.maximumWait = wait
                pacing.stallLimit = wait
                pacing.settleWait = max(pacing.settleWait, wait)
            }
            let paced = MarketPacer(watermarks: system.watermarks, log: log, configuration: pacing, logger: logger)
            pacer = paced
            let release = MarketRelease(host: host, pacer: paced, clock: marketClock, store: store,
                                        hasHistory: (historyBars ?? configuration.warmedMarketState.backfill) > 0)
            services.append(.init(service: release, successTerminationBehavior: .ignore))
        }
        if let redis = log as? RedisEventLog { services.insert(.init(service: redis.appendWatcher(logger: logger)), at: 0) }
        let progress = ProgressReporter(log: log, store: store, clock: launch.clock,
                                        interval: progressEvery == "0" ? nil : try DurationText.parse(progressEvery, option: "--progress-every"))
        services.append(.init(service: progress))
        if let drill, let faults = configuration.faults {
            let supervised = TradingSystem.Part.allCases.map { ServiceName(rawValue: $0.rawValue)! }
            services.append(.init(service: ChaosDrill(faults: faults, services: supervised, interval: drill.every, downtime: drill.downtime,
                                                      clock: launch.clock, logger: logger)))
        }
        let stopper = RunStopper(clock: launch.clock, after: try duration.map { try DurationText.parse($0, option: "--duration") })
        services.append(.init(service: stopper, successTerminationBehavior: .gracefullyShutdownGroup))
        var groupConfiguration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A service that does not finish its graceful shutdown in time is cancelled, and the process still ends.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        print("Quantum Trader — \(launch.description); state \(state.location); symbols \(Self.shortList(configuration.symbols))")
        print("stop with Ctrl-C (or SIGTERM); `quantum positions|results|doctor|halt|resume|close \(state.option)` work while it runs")
        fflush(nil)
        // The operations surface runs in its own group: it outlives the trading services (it shows their shutdown, and
        // with --keep-serving the final state), and the alert webhook delivers the last alerts of the run.
        let operations = ops.services(log: log, store: store, clock: launch.clock, description: launch.description, registry: registry,
                                      webhook: webhook, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            if let operations { tasks.addTask { try await operations.run() } }
            try await group.run()
            var summary = try await RunSummary.read(log: log, store: store)
            if let host = launch.exchange?.host {
                let key = SimulatorSetup.defaultCredential.apiKey
                let now = launch.clock.now()
                if let audit = await host.inspect({ $0.engine.protectionAudit(key) }) {
                    summary.exchangeUnprotectedSeconds = Double(audit.total(at: now)) / 1_000
                    summary.exchangeLongestUnprotectedSeconds = Double(audit.longest(at: now)) / 1_000
                }
            }
            summary.barWork = pacer?.barWork.figures
            print("\nsummary (this state directory)\n" + summary.text)
            if let summaryJson { try Data(summary.json.utf8).write(to: URL(fileURLWithPath: summaryJson)) }
            if keepServing { print("run finished; the dashboard keeps serving its final state until SIGINT/SIGTERM") }
            fflush(nil)
            if let operations, !keepServing { await operations.triggerGracefulShutdown() }
            try await tasks.waitForAll()
        }
        if await !launch.stop(within: .seconds(5)) {
            logger.warning("the embedded exchange did not stop within 5 s; exiting anyway (its state is in memory only)")
        }
    }
}

/// Ends the run after `after` of market time (or never): a service whose clean return shuts the group down.
struct RunStopper: Service {
    let clock: any EpochClock
    let after: Duration?

    func run() async throws {
        guard let after else {
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown { try await clock.sleep(for: after) }
    }
}
