import Logging
import QuantumBus
import QuantumCore
import QuantumVenue
import ServiceLifecycle

/// Wires the trading pipeline's services over one venue, bus and store, each under a supervisor.
///
/// The same wiring runs embedded (SQLite bus, the simulator on loopback) and against a real venue;
/// distributed mode runs one of these services per process over the same stream and key names.
public struct TradingSystem: Sendable {
    /// Every setting of the pipeline, one source each (invariant 14), validated before anything starts.
    public struct Configuration: Sendable {
        public var symbols: [Symbol]
        public var bridge = IntentBridge.Configuration()
        public var executor = ApplyLayerConfiguration()
        public var marketState = MarketStateService.Configuration()
        public var signals: SignalBotService.Configuration
        public var exitBrain = ExitBrainService.Configuration()
        public var harvest = HarvestService.Configuration()
        public var health = HealthMonitor.Configuration()
        public var supervision = Supervisor.Configuration()
        /// Injected crashes (a fire drill or a test); nil in a plain run.
        public var faults: ServiceFaults?

        public init(symbols: [Symbol], signals: SignalBotService.Configuration) {
            self.symbols = symbols
            self.signals = signals
        }

        /// The allowlist, applied to opens by both the bridge and the executor's risk guard.
        public var allowlist: Set<Symbol>? {
            get { bridge.allowlist }
            set {
                bridge.allowlist = newValue
                executor.allowlist = newValue
            }
        }

        /// Stretches the market-time intervals that pace real work by `factor`: heartbeats, account reads (and the
        /// equity age that follows them), the protection monitor, the exit deadline, plan expiries and intent age,
        /// and the exit services' cadence.
        ///
        /// An embedded run at `--speed X` uses `X / 10`: that work then runs at the real-time rate of a 10× run,
        /// and a deadline stays achievable (5 s of market time is 8 ms of real time at 600×, less than three REST
        /// round trips and their fsyncs). Market-data bounds (bar age, market-state age) are not stretched.
        public mutating func stretchWorkIntervals(by factor: Double) {
            guard factor.isFinite, factor > 1 else { return }
            func stretched(_ d: Duration) -> Duration { d * factor }
            executor.heartbeatInterval = stretched(executor.heartbeatInterval)
            executor.accountInterval = stretched(executor.accountInterval)
            executor.risk.equityMaxAge = stretched(executor.risk.equityMaxAge)
            executor.protectionInterval = stretched(executor.protectionInterval)
            executor.exitDeadline = stretched(executor.exitDeadline)
            bridge.openExpiry = stretched(bridge.openExpiry)
            bridge.exitExpiry = stretched(bridge.exitExpiry)
            bridge.maxIntentAge = stretched(bridge.maxIntentAge)
            marketState.heartbeatInterval = stretched(marketState.heartbeatInterval)
            signals.heartbeatInterval = stretched(signals.heartbeatInterval)
            exitBrain.heartbeatInterval = stretched(exitBrain.heartbeatInterval)
            exitBrain.interval = stretched(exitBrain.interval)
            exitBrain.resendAfter = stretched(exitBrain.resendAfter)
            harvest.heartbeatInterval = stretched(harvest.heartbeatInterval)
            harvest.interval = stretched(harvest.interval)
            harvest.resendAfter = stretched(harvest.resendAfter)
        }

        /// For a paced replay: the exit services judge positions when a bar closes, and the market waits for them
        /// (`MarketWatermarks`), instead of also on a timer between bars.
        ///
        /// A timer between bars fires at whatever tick the replay has reached by then, which depends on the speed and
        /// the machine; judged at the close only, a replay makes the same exits at any speed. The timer stays as a
        /// fallback, a market day long.
        public mutating func judgeExitsAtBarCloses() {
            exitBrain.interval = .seconds(86_400)
            harvest.interval = .seconds(86_400)
        }

        /// Checks the settings together; the message names the setting.
        public func validate() throws(ConfigurationError) {
            guard !symbols.isEmpty else { throw ConfigurationError("symbols: at least one symbol is needed") }
            guard Set(symbols).count == symbols.count else { throw ConfigurationError("symbols: listed twice") }
            guard signals.cadence >= .seconds(1) else { throw ConfigurationError("signal cadence must be at least 1 s") }
            guard (0...1).contains(signals.bot.minimumConfidence) else { throw ConfigurationError("minimum confidence must be within 0…1") }
            let risk = bridge.sizing.riskPerTrade
            guard risk.isPositive, risk <= Ratio(units: 10_000_000) else { throw ConfigurationError("risk per trade must be within (0, 10 %]") }
            if let stake = bridge.sizing.notionalPerTrade, stake > executor.risk.maxNotionalPerTrade {
                throw ConfigurationError("notional per trade \(stake) is above the risk guard's per-trade limit \(executor.risk.maxNotionalPerTrade)")
            }
            guard executor.reconcileInterval >= .seconds(1) else { throw ConfigurationError("reconcile interval must be at least 1 s") }
            if let allow = allowlist, allow.isEmpty { throw ConfigurationError("allowlist: empty means no opens at all; leave it unset for all symbols") }
            guard executor.protectionInterval > .zero, executor.exitDeadline > .zero else {
                throw ConfigurationError("protection interval and exit deadline must be positive")
            }
            if let problem = exitBrain.validate().first { throw ConfigurationError("exit-brain: \(problem)") }
            if let problem = harvest.validate().first { throw ConfigurationError("harvest: \(problem)") }
        }
    }

    public let configuration: Configuration
    public let venue: any Venue
    public let log: any EventLog
    public let store: any StateStore
    public let clock: any EpochClock
    public let logger: Logger
    /// Filled by market-state and signal-bot as they handle bars, for a paced replay (`MarketPacer`).
    public let watermarks = MarketWatermarks()
    /// What the executor does at its crash points: nothing in operation; a simulation's harness crashes the process there.
    public let crashPoints: CrashPoints

    public init(configuration: Configuration, venue: any Venue, log: any EventLog, store: any StateStore, clock: any EpochClock, logger: Logger,
                crashPoints: CrashPoints = .none) {
        self.crashPoints = crashPoints
        self.configuration = configuration
        self.venue = venue
        self.log = log
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Which services to run.
    public enum Part: String, CaseIterable, Sendable {
        case marketState = "market-state"
        case signalBot = "signal-bot"
        case intentBridge = "intent-bridge"
        case applyLayer = "apply-layer"
        case exitBrain = "exit-brain"
        case harvest
        case healthMonitor = "health-monitor"

        /// The heartbeating services this part runs (the apply-layer also runs the protection monitor).
        public var serviceNames: [ServiceName] {
            switch self {
            case .marketState: [.marketState]
            case .signalBot: [.signalBot]
            case .intentBridge: [.intentBridge]
            case .applyLayer: [.applyLayer, .protectionMonitor]
            case .exitBrain: [.exitBrain]
            case .harvest: [.harvest]
            case .healthMonitor: [.healthMonitor]
            }
        }
    }

    /// The supervised services of `parts`, the exit path first (executor, exit-brain, harvest), producers of new risk last.
    public func services(_ parts: Set<Part> = Set(Part.allCases)) -> [Supervisor] {
        let c = configuration
        var services: [Supervisor] = []
        let bus = MessageBus(log: log)
        let clock = self.clock
        let logger = self.logger
        func supervise(_ name: ServiceName, _ service: any Service) {
            services.append(Supervisor(name: name, service: service, clock: clock, configuration: c.supervision, logger: logger.with(service: name),
                                       faults: c.faults) {
                service, event in
                var fields = ["service": service.rawValue]
                switch event {
                case .restarted(let error, let restarts):
                    fields["kind"] = "restart"
                    fields["error"] = String(error.prefix(500))
                    fields["restarts"] = String(restarts)
                case .stopped:
                    fields["kind"] = "stopped"
                }
                // The apply-layer's supervisor also answers for the protection monitor it runs.
                let names: [ServiceName] = service == .applyLayer ? [.applyLayer, .protectionMonitor] : [service]
                do {
                    // Written even while the task is cancelled at shutdown: the record of a clean stop.
                    for name in names {
                        var named = fields
                        named["service"] = name.rawValue
                        _ = try await Task.detached(executorPreference: TaskPlacement.executor) { [named] in
                            try await bus.publish(fields: BusEvent(.service, at: clock.now(), named).fields, to: StreamName.serviceEvent)
                        }.value
                    }
                } catch {
                    logger.warning("service event not published", metadata: ["service": "\(service.rawValue)", "error": "\(error)"])
                }
            })
        }
        // With the monitor beside signal-bot, the first signal waits for its verdict on the exit path that runs here too.
        let exitPath = HealthMonitor.exitPath.filter { name in parts.contains { $0.serviceNames.contains(name) } }
        let readiness = parts.contains(.healthMonitor) && parts.contains(.signalBot) && !exitPath.isEmpty
            ? ExitPathReadiness(services: exitPath, since: clock.now()) : nil
        if parts.contains(.applyLayer) {
            supervise(.applyLayer, ApplyLayer(venue: venue, log: log, store: store, clock: clock, symbols: c.symbols,
                                              configuration: c.executor, logger: logger.with(service: .applyLayer), crashPoints: crashPoints))
        }
        if parts.contains(.exitBrain) {
            var service = ExitBrainService(log: log, store: store, clock: clock, symbols: c.symbols, configuration: c.exitBrain,
                                           logger: logger.with(service: .exitBrain))
            service.watermarks = watermarks
            watermarks.expect(.exits)
            supervise(.exitBrain, service)
        }
        if parts.contains(.harvest) {
            var service = HarvestService(venue: venue, log: log, store: store, clock: clock, symbols: c.symbols,
                                         configuration: c.harvest, logger: logger.with(service: .harvest))
            service.watermarks = watermarks
            watermarks.expect(.harvest)
            supervise(.harvest, service)
        }
        if parts.contains(.intentBridge) {
            // Opens are sized within the executor's per-trade limit: one source for the setting.
            var bridge = c.bridge
            bridge.sizing.maxNotionalPerTrade = min(bridge.sizing.maxNotionalPerTrade ?? c.executor.risk.maxNotionalPerTrade, c.executor.risk.maxNotionalPerTrade)
            var service = IntentBridgeService(venue: venue, log: log, store: store, clock: clock, configuration: bridge,
                                              logger: logger.with(service: .intentBridge))
            service.heartbeatInterval = c.executor.heartbeatInterval
            supervise(.intentBridge, service)
        }
        if parts.contains(.healthMonitor) {
            // Alone in its process (distributed mode), it watches every service; embedded, the ones running beside it.
            let watched = parts == [.healthMonitor] ? Set(Part.allCases) : parts
            var health = HealthMonitorService.Configuration(
                expected: watched.sorted { $0.rawValue < $1.rawValue }.flatMap(\.serviceNames).filter { $0 != .healthMonitor })
            health.monitor = c.health
            health.heartbeatInterval = c.executor.heartbeatInterval
            health.checkInterval = c.executor.heartbeatInterval
            var service = HealthMonitorService(log: log, store: store, clock: clock, configuration: health, logger: logger.with(service: .healthMonitor))
            service.readiness = readiness
            supervise(.healthMonitor, service)
        }
        if parts.contains(.marketState) {
            var service = MarketStateService(venue: venue, log: log, store: store, clock: clock, symbols: c.symbols,
                                             configuration: c.warmedMarketState, logger: logger.with(service: .marketState))
            service.watermarks = watermarks
            watermarks.expect(.marketState)
            supervise(.marketState, service)
        }
        if parts.contains(.signalBot) {
            var service = SignalBotService(log: log, clock: clock, symbols: c.symbols, configuration: c.signals,
                                           logger: logger.with(service: .signalBot))
            service.watermarks = watermarks
            watermarks.expect(.signals)
            service.exitPathReadiness = readiness
            supervise(.signalBot, service)
        }
        return services
    }
}

/// A setting that cannot work, named.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension Logger {
    func with(service: ServiceName) -> Logger {
        var copy = self
        copy[metadataKey: "service"] = "\(service.rawValue)"
        return copy
    }
}
