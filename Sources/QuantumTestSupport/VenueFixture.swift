import Foundation
import Logging
import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumSim
import QuantumVenue

/// The simulator (manual market, manual clock) and the real adapter pointed at it: over HTTP and
/// WebSocket on a loopback port of its own, or in process through `InProcessTransport`.
public final class VenueFixture: Sendable {
    /// How the adapter reaches the simulator.
    public enum Transport: Sendable, CaseIterable {
        case loopback
        case inProcess
    }

    public static let btc = Symbol("BTCUSDT")
    public static let eth = Symbol("ETHUSDT")
    public static let credential = SimulatorSetup.defaultCredential
    public static let credentials = VenueCredentials(environment: .custom, apiKey: credential.apiKey, secretKey: credential.secretKey)

    public let clock: ManualEpochClock
    /// The loopback server; `nil` in process.
    public let exchange: LoopbackExchange?
    public let host: ExchangeHost
    public let venue: BinanceFuturesVenue

    private init(clock: ManualEpochClock, exchange: LoopbackExchange?, host: ExchangeHost, venue: BinanceFuturesVenue) {
        self.clock = clock
        self.exchange = exchange
        self.host = host
        self.venue = venue
    }

    /// Starts a simulator at `start` with BTCUSDT at 100 000 and ETHUSDT at 3 000, and an adapter on it.
    ///
    /// `virtualTime` makes every sleep advance the shared clock at once (for backoff-driven tests).
    public static func start(
        at start: EpochMillis = EpochMillis(1_750_000_000_000),
        virtualTime: Bool = false,
        transport: Transport = .loopback,
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
        let exchange = transport == .loopback ? try await LoopbackExchange.start(host: host) : nil
        var configuration = BinanceFuturesVenue.Configuration()
        configuration.requestTimeout = .seconds(5)
        configure(&configuration)
        let venue = try BinanceFuturesVenue(
            endpoints: try VenueEndpoints.custom(exchange?.baseURL ?? "http://in-process.invalid"), credentials: credentials,
            configuration: configuration, clock: venueClock?(clock) ?? clock,
            transport: exchange == nil ? InProcessTransport(host: host) : nil, logger: logger)
        return VenueFixture(clock: clock, exchange: exchange, host: host, venue: venue)
    }

    public static var quietLogger: Logger {
        var logger = Logger(label: "test.venue")
        // QUANTUM_TEST_LOG=debug (or info, notice, …) shows what the services did in a failing test.
        logger.logLevel = ProcessInfo.processInfo.environment["QUANTUM_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }

    public func stop() async { await exchange?.stop() }

    /// Moves a symbol's market (mark = last) at the clock's time.
    public func tick(_ symbol: Symbol = btc, _ price: String) async throws {
        let value = try Price(parsing: price)
        await host.apply(MarketTick(symbol: symbol, time: clock.now(), lastPrice: value, markPrice: value))
    }

    public func faults(_ change: @Sendable (inout FaultPlan) -> Void) async {
        await host.updateFaults(change)
    }

    /// The requests the simulator answered that named `clientID`, in order.
    public func requests(for clientID: ClientOrderID) async -> [RequestRecord] {
        await host.requestLog.filter { $0.clientOrderID == clientID.rawValue }
    }

    /// How many orders with this client id exist on the simulated account (every status).
    public func ordersOnExchange(_ clientID: ClientOrderID) async -> Int {
        await host.inspect { desk in
            desk.engine.account(Self.credential.apiKey)?.orders.values.filter { $0.clientOrderID == clientID.rawValue }.count ?? 0
        }
    }

    /// How many conditional orders with this client algo id exist (every status).
    public func algoOrdersOnExchange(_ clientID: ClientOrderID) async -> Int {
        await host.inspect { desk in
            desk.engine.account(Self.credential.apiKey)?.algoOrders.values.filter { $0.clientAlgoID == clientID.rawValue }.count ?? 0
        }
    }
}

/// A clock that is `skew` ahead of (or behind) another.
public struct SkewedClock: EpochClock {
    public let base: any EpochClock
    public let skew: Duration

    public init(base: any EpochClock, skew: Duration) {
        self.base = base
        self.skew = skew
    }

    public func now() -> EpochMillis { base.now().advanced(by: skew) }
    public func sleep(for duration: Duration) async throws { try await base.sleep(for: duration) }
}

extension ClientOrderID {
    /// A test id from a literal.
    public static func test(_ text: String) -> ClientOrderID { ClientOrderID(rawValue: "qt-" + text)! }
}
