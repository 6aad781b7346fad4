import ArgumentParser
import Foundation
import Logging
import QuantumBinance
import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumSim
import QuantumRedis
import QuantumServices
import QuantumVenue
import Synchronization

/// One benchmark system: the simulator, the adapter on the chosen transport, a fresh SQLite state,
/// and the intent-bridge and apply-layer running under their supervisors.
struct PipelineBenchRun: Sendable {
    enum Mode: String, Sendable {
        case inProcess = "in-process"
        case loopback
    }

    typealias Market = (symbol: Symbol, price: String, quantity: String)

    /// The catalog's symbols with a price and a backlog order size of a few hundred USDT.
    static let catalogue: [Market] = [
        (Symbol("BTCUSDT"), "100000", "0.005"), (Symbol("ETHUSDT"), "3000", "0.2"), (Symbol("SOLUSDT"), "150", "4"),
        (Symbol("BNBUSDT"), "600", "1"), (Symbol("XRPUSDT"), "2", "300"),
    ]

    /// `count` symbols: the catalogue's five, then the synthetic listing's, each at its start price with an order of
    /// about 300 USDT.
    static func markets(count: Int) throws -> [Market] {
        var markets = Array(catalogue.prefix(count))
        for instrument in SyntheticUniverse.instruments.prefix(max(0, count - catalogue.count)) {
            let step = instrument.stepSize
            let perStep = Int128(max(1, instrument.startPrice.units)) * Int128(max(1, step.units))
            let steps = max(1, Int64(Int128(300) * Int128(Price.one) * Int128(Quantity.one) / perStep))
            markets.append((instrument.symbol, instrument.startPrice.description, Quantity(units: steps * step.units).description))
        }
        return markets
    }

    let markets: [Market]

    let log: any EventLog
    let store: any StateStore
    let clock: any EpochClock
    let sends: OrderSendLog
    let exchange: LoopbackExchange?
    let directory: URL
    let services: Task<Void, any Error>
    let results: TypedConsumer<ApplyResult>
    let epochs: EpochCounter

    /// Where the bus and the state live: SQLite on disk (embedded mode), or memory (to show what durability costs).
    enum Storage: Sendable {
        /// SQLite on disk, each commit surviving what `Durability` says.
        case sqlite(SQLiteDatabase.Durability)
        case memory
        /// Redis at this URL: the bench writes under a namespace of its own, so a shared server is left as it was.
        case redis(url: String)
    }

    static func start(_ mode: Mode, storage: Storage, symbols: Int = 5) async throws -> PipelineBenchRun {
        let markets = try Self.markets(count: symbols)
        let clock = SystemEpochClock()
        var setup = SimulatorSetup()
        setup.market = .manual
        setup.symbols = markets.map(\.symbol)
        setup.startingBalance = try Notional(parsing: "10000000")
        var (desk, _) = try setup.makeDesk(start: clock.now())
        // The venue's own request limits would measure Binance's quotas, not the pipeline.
        var limits = desk.configuration
        limits.weights.limit = .max / 2
        limits.orderCounts = .init(perTenSeconds: .max / 2, perMinute: .max / 2)
        desk = ExchangeDesk(paper: desk.paper, configuration: limits)
        let host = ExchangeHost(desk: desk, feed: nil, clock: clock)
        for market in markets {
            let price = try Price(parsing: market.price)
            await host.apply(MarketTick(symbol: market.symbol, time: clock.now(), lastPrice: price, markPrice: price))
        }
        let logger = Logger(label: "quantum.bench")
        let exchange = mode == .loopback ? try await LoopbackExchange.start(host: host) : nil
        let sends = OrderSendLog(wrapping: exchange == nil ? InProcessTransport(host: host) : HTTPVenueTransport(logger: logger))
        let credential = SimulatorSetup.defaultCredential
        let venue = try BinanceFuturesVenue(
            endpoints: try VenueEndpoints.custom(exchange?.baseURL ?? "http://in-process.invalid"),
            credentials: VenueCredentials(environment: .custom, apiKey: credential.apiKey, secretKey: credential.secretKey),
            clock: clock, transport: sends, logger: logger)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quantum-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log: any EventLog
        let store: any StateStore
        switch storage {
        case .sqlite(let durability):
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("quantum.sqlite").path, durability: durability)
            log = SQLiteEventLog(database: database, clock: clock)
            store = SQLiteStateStore(database: database, clock: clock)
        case .memory:
            log = InMemoryEventLog(clock: clock)
            store = InMemoryStateStore(clock: clock)
        case .redis(let url):
            let client = RedisClient(configuration: try RedisClient.Configuration(url: url, poolSize: 16))
            let names = RedisBusNames(namespace: "bench-\(UUID().uuidString.prefix(8)):")
            // As `quantum run`: the append watcher beside the services, the poll a fallback.
            log = RedisEventLog(client: client, clock: clock, names: names, pollInterval: .milliseconds(250))
            store = RedisStateStore(client: client, clock: clock, names: names)
        }

        var configuration = TradingSystem.Configuration(symbols: markets.map(\.symbol), signals: SignalBotService.Configuration(bot: try SignalBot.Configuration.standard(minimumConfidence: 0.5, fallback: false)))
        // Limits that a backlog of round trips would trip (they are tested elsewhere); everything else is the default.
        configuration.executor.risk.maxConsecutiveLosses = Int.max
        configuration.executor.risk.maxOpenPositions = markets.count
        configuration.executor.risk.maxTotalNotional = Notional(units: Int64(markets.count) * 2_000 * Notional.one)
        configuration.executor.risk.maxOrdersPerMinute = Int.max
        configuration.executor.risk.maxOrdersPerSymbolPerMinute = Int.max
        configuration.executor.risk.dailyLossLimit = Ratio(units: Ratio.one)
        configuration.executor.risk.maxDrawdown = Ratio(units: Ratio.one)
        configuration.executor.churnLimit = Int.max
        try configuration.validate()
        let system = TradingSystem(configuration: configuration, venue: venue, log: log, store: store, clock: clock, logger: logger)

        let results = TypedConsumer<ApplyResult>(log: log, stream: StreamName.result, group: "bench", consumer: "bench-1")
        try await results.prepare()
        let heartbeats = TypedConsumer<Heartbeat>(log: log, stream: StreamName.heartbeat, group: "bench", consumer: "bench-1")
        try await heartbeats.prepare()
        let run = PipelineBenchRun(markets: markets, log: log, store: store, clock: clock, sends: sends, exchange: exchange, directory: directory,
                                   services: Task { [supervisors = system.services([.intentBridge, .applyLayer]),
                                                     watcher = (log as? RedisEventLog)?.appendWatcher(logger: logger)] in
                                       try await withThrowingDiscardingTaskGroup { group in
                                           for supervisor in supervisors { group.addTask { try await supervisor.run() } }
                                           if let watcher { group.addTask { try await watcher.run() } }
                                       }
                                   },
                                   results: results, epochs: EpochCounter())
        try await run.refreshMarketState()
        var running: Set<ServiceName> = []
        let deadline = ContinuousClock.now + .seconds(30)
        while !running.isSuperset(of: [.intentBridge, .applyLayer]) {
            guard ContinuousClock.now < deadline else { throw ValidationError("the services did not start within 30 s (running: \(running.map(\.rawValue).sorted()))") }
            for item in try await heartbeats.next(count: 16, wait: .seconds(1)) where item.message.status == .running {
                running.insert(item.message.service)
            }
        }
        return run
    }

    /// Stops the services and the exchange, each within a bound: a finished benchmark must exit.
    func stop() async {
        services.cancel()
        let services = self.services
        _ = await withHardDeadline(.seconds(10)) { _ = await services.result }
        if let exchange { _ = await withHardDeadline(.seconds(5)) { await exchange.stop() } }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes a fresh market state for every symbol, as the market-state service would.
    func refreshMarketState() async throws {
        for market in markets {
            try await store.setFields(StateKey.marketState(market.symbol), MarketStateHash(price: try Price(parsing: market.price), asOf: clock.now()).fields)
        }
    }

    // MARK: - Latency

    struct Latency {
        var openSent = LatencySample()
        var closeSent = LatencySample()
        var result = LatencySample()
    }

    /// Open and close intents one at a time, round-robin over the symbols, after one unrecorded round trip per symbol
    /// (its first open sets the symbol's leverage on the venue, once per symbol and process).
    func measureLatency(roundTrips: Int) async throws -> Latency {
        let bus = MessageBus(log: log)
        var latency = Latency()
        let warmUp = markets.count
        for index in 0..<(warmUp + roundTrips) {
            if index == warmUp { latency = Latency() }
            if index % 50 == 0 { try await refreshMarketState() }
            let market = markets[index % markets.count]
            let epoch = epochs.next(market.symbol)
            let price = try Price(parsing: market.price)
            let open = TradeIntent(
                intentID: "bench-open-\(index)", symbol: market.symbol, direction: .long, confidence: 0.9, strategy: "bench",
                referencePrice: price, stopLoss: try price.scaled(by: 98, over: 100), takeProfit: try price.scaled(by: 103, over: 100),
                createdAt: clock.now())
            let openPlan = PlanIdentity.open(market.symbol, .long, epoch, attempt: 0)
            let opened = ContinuousClock.now
            try await bus.publish(open, to: StreamName.tradeIntent)
            try await awaitExecuted(openPlan.planID)
            latency.result.record(ContinuousClock.now - opened)
            latency.openSent.record(try sentAt(openPlan.clientOrderID) - opened)

            let close = ExitIntent(intentID: "bench-close-\(index)", symbol: market.symbol, action: .close, epoch: epoch, reason: .manual,
                                   source: .manual, createdAt: clock.now())
            let closePlan = PlanIdentity.close(market.symbol, epoch)
            let closed = ContinuousClock.now
            try await bus.publish(close, to: StreamName.exitIntent)
            try await awaitExecuted(closePlan.planID)
            latency.result.record(ContinuousClock.now - closed)
            latency.closeSent.record(try sentAt(closePlan.clientOrderID) - closed)
        }
        return latency
    }

    private func sentAt(_ id: ClientOrderID) throws -> ContinuousClock.Instant {
        guard let instant = sends.sentAt(id.rawValue) else { throw ValidationError("order \(id.rawValue) was executed but never seen leaving the adapter") }
        return instant
    }

    /// Waits for `planID`'s result and requires it executed.
    private func awaitExecuted(_ planID: String) async throws {
        let results = try await awaitResults([planID])
        guard let result = results[planID], result.decision == .executed else {
            let reason = results[planID].map { "\($0.decision.rawValue) \($0.reason?.word ?? "")" } ?? "missing"
            throw ValidationError("plan \(planID) was not executed: \(reason)")
        }
    }

    /// Reads results until every plan of `planIDs` has one, noting when each arrived.
    @discardableResult
    private func awaitResults(_ planIDs: Set<String>, arrivals: ((String, ContinuousClock.Instant) -> Void)? = nil) async throws -> [String: ApplyResult] {
        var found: [String: ApplyResult] = [:]
        var quietSince = ContinuousClock.now
        while found.count < planIDs.count {
            let items = try await results.next(count: 256, wait: .seconds(1))
            let now = ContinuousClock.now
            for item in items {
                try await results.acknowledge(item.id)
                guard planIDs.contains(item.message.planID) else { continue }
                found[item.message.planID] = item.message
                arrivals?(item.message.planID, now)
            }
            if !items.isEmpty { quietSince = now }
            if now - quietSince > .seconds(30) {
                throw ValidationError("no result for 30 s; \(planIDs.count - found.count) plans outstanding")
            }
        }
        return found
    }

    // MARK: - Throughput

    struct Throughput {
        var plans: Int
        var symbols: Int
        var elapsed: Duration
        var planToResult: LatencySample
    }

    /// A backlog of `rounds` open+close pairs per symbol, appended at once; timed until the last result.
    func measureThroughput(rounds: Int) async throws -> Throughput {
        try await refreshMarketState()
        var plans: [Plan] = []
        for _ in 0..<rounds {
            for market in markets {
                let epoch = epochs.next(market.symbol)
                plans.append(try openPlan(market, epoch: epoch))
                plans.append(closePlan(market.symbol, epoch: epoch))
            }
        }
        let bus = MessageBus(log: log)
        // One appender per symbol, side by side: a symbol's plans keep their order, and the appends share commits.
        let started = ContinuousClock.now
        let appended = try await withThrowingTaskGroup(of: [(String, ContinuousClock.Instant)].self) { group in
            for symbol in markets.map(\.symbol) {
                let own = plans.filter { $0.symbol == symbol }
                group.addTask {
                    var times: [(String, ContinuousClock.Instant)] = []
                    for plan in own {
                        times.append((plan.planID, ContinuousClock.now))
                        try await bus.publish(plan, to: StreamName.plan)
                    }
                    return times
                }
            }
            return try await group.reduce(into: [String: ContinuousClock.Instant]()) { table, times in
                for (planID, at) in times { table[planID] = at }
            }
        }
        var sample = LatencySample()
        let results = try await awaitResults(Set(plans.map(\.planID))) { planID, at in
            if let start = appended[planID] { sample.record(at - start) }
        }
        let elapsed = ContinuousClock.now - started
        let refused = plans.compactMap { results[$0.planID] }.filter { $0.decision != .executed }
        if !refused.isEmpty {
            let list = refused.prefix(10).map { "\($0.planID) \($0.decision.rawValue) \($0.reason?.word ?? "")" }.joined(separator: "; ")
            throw ValidationError("\(refused.count) of \(plans.count) plans were not executed: \(list)")
        }
        return Throughput(plans: plans.count, symbols: markets.count, elapsed: elapsed, planToResult: sample)
    }

    private func openPlan(_ market: Market, epoch: PositionEpoch) throws -> Plan {
        let identity = PlanIdentity.open(market.symbol, .long, epoch, attempt: 0)
        let price = try Price(parsing: market.price)
        let quantity = try Quantity(parsing: market.quantity)
        let notional = try price.notional(of: quantity)
        let leverage = Leverage(rawValue: 5)!
        let order = OpenOrder(direction: .long, quantity: quantity, referencePrice: price, notional: notional, margin: try notional.margin(at: leverage),
                              leverage: leverage, stopLoss: try price.scaled(by: 98, over: 100), takeProfit: try price.scaled(by: 103, over: 100),
                              strategy: "bench")
        return Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: market.symbol, epoch: epoch, order: .open(order),
                    source: .signalBot, intentID: "bench-\(identity.planID)", expiresAt: clock.now().advanced(by: .seconds(3_600)),
                    createdAt: clock.now())
    }

    private func closePlan(_ symbol: Symbol, epoch: PositionEpoch) -> Plan {
        let identity = PlanIdentity.close(symbol, epoch)
        return Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: epoch,
                    order: .close(position: .long, reason: .manual, killScore: nil), source: .manual, intentID: "bench-\(identity.planID)",
                    expiresAt: clock.now().advanced(by: .seconds(3_600)), createdAt: clock.now())
    }
}

/// The epoch each symbol's next open starts (a fresh state starts at 1).
final class EpochCounter: Sendable {
    private let table = Mutex<[Symbol: UInt64]>([:])

    func next(_ symbol: Symbol) -> PositionEpoch {
        table.withLock { table in
            let value = table[symbol, default: 1]
            table[symbol] = value + 1
            return PositionEpoch(rawValue: value)!
        }
    }
}
