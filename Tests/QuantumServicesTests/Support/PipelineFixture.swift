import Logging
import QuantumBinance
import QuantumBus
import QuantumCore
import QuantumExchange
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import ServiceLifecycle
import Synchronization

/// The executor (and optionally the bridge) over the real adapter and the simulator on loopback,
/// with an in-memory bus and store on one manual clock. Tests append plans or intents and await
/// results: nothing sleeps to synchronise.
final class PipelineFixture: Sendable {
    static let btc = VenueFixture.btc
    static let eth = VenueFixture.eth

    let venue: VenueFixture
    let log: InMemoryEventLog
    let store: InMemoryStateStore
    let configuration: ApplyLayerConfiguration
    private let tasks = TaskBox()

    var clock: ManualEpochClock { venue.clock }
    var host: ExchangeHost { venue.host }

    private init(venue: VenueFixture, configuration: ApplyLayerConfiguration, log: InMemoryEventLog? = nil, store: InMemoryStateStore? = nil) {
        self.venue = venue
        self.log = log ?? InMemoryEventLog(clock: venue.clock)
        self.store = store ?? InMemoryStateStore(clock: venue.clock)
        self.configuration = configuration
    }

    /// The same exchange, bus and store with another executor configuration (a restart with new settings).
    func restarted(_ configure: (inout ApplyLayerConfiguration) -> Void) -> PipelineFixture {
        var configuration = self.configuration
        configure(&configuration)
        return PipelineFixture(venue: venue, configuration: configuration, log: log, store: store)
    }

    static func start(configure: (inout ApplyLayerConfiguration) -> Void = { _ in },
                      desk: (inout ExchangeDesk.Configuration) -> Void = { _ in }) async throws -> PipelineFixture {
        var configuration = ApplyLayerConfiguration()
        configuration.fillTimeout = .seconds(2)
        configure(&configuration)
        let fixture = PipelineFixture(venue: try await VenueFixture.start(desk: desk), configuration: configuration)
        try await fixture.freshMarket(btc, "100000")
        try await fixture.freshMarket(eth, "3000")
        return fixture
    }

    // MARK: - Services

    var applyLayer: ApplyLayer {
        ApplyLayer(venue: venue.venue, log: log, store: store, clock: clock, symbols: [Self.btc, Self.eth],
                   configuration: configuration, logger: VenueFixture.quietLogger)
    }

    /// Starts the executor and returns once it consumes plans (its first `running` heartbeat).
    /// With `followingFills`, also until its user stream has connected and resynced (fills now arrive by the stream).
    @discardableResult
    func startExecutor(followingFills: Bool = false) async throws -> ApplyLayer {
        let watcher = try await StreamWatcher.start(log, StreamName.heartbeat)
        let resyncs = try await StreamWatcher.start(log, StreamName.reconcile)
        let service = applyLayer
        tasks.add(Task { try await service.run() })
        _ = try await watcher.next { $0["service"] == "apply-layer" && $0["status"] == "running" }
        if followingFills { _ = try await resyncs.next { $0["kind"] == "user_stream_resynced" } }
        return service
    }

    /// Starts the intent-bridge with `configuration`.
    func startBridge(_ configuration: IntentBridge.Configuration = IntentBridge.Configuration()) async throws {
        let watcher = try await StreamWatcher.start(log, StreamName.heartbeat)
        let service = IntentBridgeService(venue: venue.venue, log: log, store: store, clock: clock, configuration: configuration,
                                          logger: VenueFixture.quietLogger)
        tasks.add(Task { try await service.run() })
        _ = try await watcher.next { $0["service"] == "intent-bridge" && $0["status"] == "running" }
    }

    /// Runs any service until the fixture stops (callers await its first heartbeat).
    func run(_ service: some Service) {
        tasks.add(Task { try await service.run() })
    }

    /// Cancels every service and waits for them to end (a crash, from the store's point of view).
    func stopServices() async {
        for task in tasks.drain() {
            task.cancel()
            _ = await task.result
        }
    }

    func stop() async {
        await stopServices()
        await venue.stop()
    }

    // MARK: - Inputs

    /// Writes a fresh market state for `symbol` (what the market-state service would).
    func freshMarket(_ symbol: Symbol, _ price: String) async throws {
        try await venue.tick(symbol, price)
        try await store.setFields(StateKey.marketState(symbol), ["price": price, "as_of": String(clock.now().rawValue)])
    }

    /// An open plan as the bridge would make it.
    func openPlan(_ symbol: Symbol = btc, _ direction: Direction = .long, quantity: String = "0.01", price: String = "100000",
                  epoch: UInt64 = 1, attempt: Int = 0, leverage: Int = 5, expiresIn: Duration = .seconds(30)) throws -> Plan {
        let identity = PlanIdentity.open(symbol, direction, PositionEpoch(rawValue: epoch)!, attempt: attempt)
        let reference = try Price(parsing: price)
        let qty = try Quantity(parsing: quantity)
        let notional = try reference.notional(of: qty)
        let lev = Leverage(rawValue: leverage)!
        let stop = direction == .long ? try reference.scaled(by: 98, over: 100) : try reference.scaled(by: 102, over: 100)
        let target = direction == .long ? try reference.scaled(by: 103, over: 100) : try reference.scaled(by: 97, over: 100)
        let order = OpenOrder(direction: direction, quantity: qty, referencePrice: reference, notional: notional, margin: try notional.margin(at: lev),
                              leverage: lev, stopLoss: stop, takeProfit: target, strategy: "test")
        return Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: identity.epoch, order: .open(order),
                    source: .signalBot, intentID: "intent-\(identity.planID)", expiresAt: clock.now().advanced(by: expiresIn), createdAt: clock.now())
    }

    /// A full close of `epoch`.
    func closePlan(_ symbol: Symbol = btc, position: Direction = .long, epoch: UInt64 = 1) -> Plan {
        let identity = PlanIdentity.close(symbol, PositionEpoch(rawValue: epoch)!)
        return Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: identity.epoch,
                    order: .close(position: position, reason: .manual, killScore: nil), source: .manual, intentID: "close-\(epoch)",
                    expiresAt: clock.now().advanced(by: .seconds(60)), createdAt: clock.now())
    }

    /// A ladder rung (or a manual reduce when `rung` is nil) of `quantity`.
    func reducePlan(_ symbol: Symbol = btc, position: Direction = .long, epoch: UInt64 = 1, quantity: String, rung: Int?) throws -> Plan {
        let e = PositionEpoch(rawValue: epoch)!
        let identity: PlanIdentity = rung.map { .rung(symbol, e, $0) } ?? .manualReduce(symbol, e, "op-1")
        return Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: e,
                    order: .reduce(position: position, quantity: try Quantity(parsing: quantity), rung: rung, reason: rung == nil ? .manual : .ladderRung, killScore: nil),
                    source: rung == nil ? .manual : .harvest, intentID: "reduce-\(identity.planID)",
                    expiresAt: clock.now().advanced(by: .seconds(60)), createdAt: clock.now())
    }

    @discardableResult
    func send(_ plan: Plan) async throws -> EntryID {
        try await log.append(StreamName.plan, fields: plan.encoded())
    }

    // MARK: - Observations

    /// Every result on the stream so far, oldest first.
    func results() async throws -> [ApplyResult] {
        try await log.range(StreamName.result, from: .zero, to: .max, count: 100_000).map { try ApplyResult.decode($0.fields) }
    }

    func results(for planID: String) async throws -> [ApplyResult] {
        try await results().filter { $0.planID == planID }
    }

    func position(_ symbol: Symbol = btc) async throws -> PositionRecord? {
        let fields = try await store.fields(StateKey.position(symbol))
        return fields.isEmpty ? nil : try PositionRecord.decode(fields)
    }

    /// The exchange's signed position quantity.
    func exchangePosition(_ symbol: Symbol = btc) async throws -> Quantity {
        try await venue.venue.positions(symbol: symbol).first { $0.symbol == symbol }?.quantity ?? .zero
    }

    func ordersOnExchange(_ id: ClientOrderID) async -> Int { await venue.ordersOnExchange(id) }

    /// Every order on the simulated account.
    func allOrdersOnExchange() async -> Int {
        await host.inspect { $0.engine.account(VenueFixture.credential.apiKey)?.orders.count ?? 0 }
    }

    func stat(_ stat: ExecutorStat) async throws -> Int64 {
        try await store.get(StateKey.stat(stat)).flatMap(Int64.init) ?? 0
    }
}

/// Tasks a fixture started.
final class TaskBox: Sendable {
    private let tasks = Mutex<[Task<Void, any Error>]>([])
    func add(_ task: Task<Void, any Error>) { tasks.withLock { $0.append(task) } }
    func drain() -> [Task<Void, any Error>] { tasks.withLock { list in defer { list = [] }; return list } }
}

extension PlanIdentity {
    var epoch: PositionEpoch {
        switch self {
        case .open(_, _, let e), .rung(_, let e, _), .close(_, let e), .moveStop(_, let e, _), .manualReduce(_, let e, _): e
        case .retry(let decision, _): decision.epoch
        }
    }
}
