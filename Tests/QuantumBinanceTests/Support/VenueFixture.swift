import Logging
import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumSim
import QuantumTestSupport
import QuantumVenue

/// The simulator on a loopback port of its own (manual market, manual clock) and the real adapter
/// pointed at it through HTTP and WebSocket.
final class VenueFixture: Sendable {
    static let btc = Symbol("BTCUSDT")
    static let eth = Symbol("ETHUSDT")
    static let credential = SimulatorSetup.defaultCredential
    static let credentials = VenueCredentials(environment: .custom, apiKey: credential.apiKey, secretKey: credential.secretKey)

    let clock: ManualEpochClock
    let exchange: LoopbackExchange
    let venue: BinanceFuturesVenue
    var host: ExchangeHost { exchange.host }

    private init(clock: ManualEpochClock, exchange: LoopbackExchange, venue: BinanceFuturesVenue) {
        self.clock = clock
        self.exchange = exchange
        self.venue = venue
    }

    /// Starts a simulator at `start` with BTCUSDT at 100 000 and ETHUSDT at 3 000, and an adapter on it.
    ///
    /// `virtualTime` makes every sleep advance the shared clock at once (for backoff-driven tests).
    static func start(
        at start: EpochMillis = EpochMillis(1_750_000_000_000),
        virtualTime: Bool = false,
        credentials: VenueCredentials? = VenueFixture.credentials,
        venueClock: ((ManualEpochClock) -> any EpochClock)? = nil,
        logger: Logger = VenueFixture.quietLogger,
        desk: (inout ExchangeDesk.Configuration) -> Void = { _ in },
        configure: (inout BinanceFuturesVenue.Configuration) -> Void = { _ in }
    ) async throws -> VenueFixture {
        let clock = ManualEpochClock(start, advancesOnSleep: virtualTime)
        var setup = SimulatorSetup()
        setup.market = .manual
        var (built, _) = try setup.makeDesk(start: start)
        var deskConfiguration = built.configuration
        desk(&deskConfiguration)
        built = ExchangeDesk(paper: built.paper, configuration: deskConfiguration)
        let host = ExchangeHost(desk: built, feed: nil, clock: clock)
        await host.apply(MarketTick(symbol: btc, time: start, lastPrice: try Price(parsing: "100000"), markPrice: try Price(parsing: "100000")))
        await host.apply(MarketTick(symbol: eth, time: start, lastPrice: try Price(parsing: "3000"), markPrice: try Price(parsing: "3000")))
        let exchange = try await LoopbackExchange.start(host: host)
        var configuration = BinanceFuturesVenue.Configuration()
        configuration.requestTimeout = .seconds(5)
        configure(&configuration)
        let venue = try BinanceFuturesVenue(
            endpoints: try VenueEndpoints.custom(exchange.baseURL), credentials: credentials, configuration: configuration,
            clock: venueClock?(clock) ?? clock, logger: logger)
        return VenueFixture(clock: clock, exchange: exchange, venue: venue)
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "test.venue")
        logger.logLevel = .critical
        return logger
    }

    func stop() async { await exchange.stop() }

    /// Moves a symbol's market (mark = last) at the clock's time.
    func tick(_ symbol: Symbol = btc, _ price: String) async throws {
        let value = try Price(parsing: price)
        await host.apply(MarketTick(symbol: symbol, time: clock.now(), lastPrice: value, markPrice: value))
    }

    func faults(_ change: @Sendable (inout FaultPlan) -> Void) async {
        await host.updateFaults(change)
    }

    /// The requests the simulator answered that named `clientID`, in order.
    func requests(for clientID: ClientOrderID) async -> [RequestRecord] {
        await host.requestLog.filter { $0.clientOrderID == clientID.rawValue }
    }

    /// How many orders with this client id exist on the simulated account (every status).
    func ordersOnExchange(_ clientID: ClientOrderID) async -> Int {
        await host.inspect { desk in
            desk.engine.account(Self.credential.apiKey)?.orders.values.filter { $0.clientOrderID == clientID.rawValue }.count ?? 0
        }
    }

    /// How many conditional orders with this client algo id exist (every status).
    func algoOrdersOnExchange(_ clientID: ClientOrderID) async -> Int {
        await host.inspect { desk in
            desk.engine.account(Self.credential.apiKey)?.algoOrders.values.filter { $0.clientAlgoID == clientID.rawValue }.count ?? 0
        }
    }
}

/// A clock that is `skew` ahead of (or behind) another.
struct SkewedClock: EpochClock {
    let base: any EpochClock
    let skew: Duration

    func now() -> EpochMillis { base.now().advanced(by: skew) }
    func sleep(for duration: Duration) async throws { try await base.sleep(for: duration) }
}

extension ClientOrderID {
    /// A test id from a literal.
    static func test(_ text: String) -> ClientOrderID { ClientOrderID(rawValue: "qt-" + text)! }
}
