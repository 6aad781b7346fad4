import Logging
import QuantumCore
import QuantumVenue
import Synchronization

/// The Binance USDⓈ-M futures adapter: REST on AsyncHTTPClient, streams on a WebSocket client.
///
/// Works against production, the demo (testnet) or any Binance-compatible server such as
/// `quantum exchange`, chosen by `VenueEndpoints`. Every request goes through the rate-limit budget
/// (priorities; 429 backs off, 418 halts), signed requests use the venue's clock (offset kept in
/// sync), every reply is decoded into typed values, and order placement is ambiguity-safe
/// (`SubmissionResolver`). Secrets never reach a log line or an error.
public final class BinanceFuturesVenue: Venue {
    /// Timing, limits and retry policy.
    public struct Configuration: Sendable {
        /// The recvWindow sent with signed requests; also bounds how long a lost order can still arrive.
        public var recvWindow: Duration = .seconds(5)
        /// How long to wait for a reply before the outcome counts as ambiguous.
        public var requestTimeout: Duration = .seconds(10)
        public var rateLimits = RateLimitBudget.Configuration()
        public var submission = SubmissionPolicy()
        /// The largest clock difference with the venue the start-up check accepts.
        public var maximumClockSkew: Duration = .seconds(2)
        /// How often the listen key is kept alive (Binance expires it 60 minutes after the last keep-alive).
        public var listenKeyKeepAlive: Duration = .seconds(30 * 60)
        /// Reconnect backoff: the first reconnect is immediate, then this doubles up to `maximumReconnectDelay`.
        public var reconnectDelay: Duration = .milliseconds(250)
        public var maximumReconnectDelay: Duration = .seconds(30)
        /// How far back a resync reads fills before the disconnect (covers clock error and in-flight events).
        public var resyncLookback: Duration = .seconds(60)
        /// How far back the first resync of a run reads fills.
        public var initialTradeLookback: Duration = .seconds(3_600)

        public init() {}
    }

    public let endpoints: VenueEndpoints
    public let configuration: Configuration
    let credentials: VenueCredentials?
    let signer: RequestSigner?
    let clock: any EpochClock
    let transport: any VenueTransport
    let logger: Logger
    let state: Mutex<State>

    /// Mutable adapter state, behind one lock.
    struct State {
        var budget: RateLimitBudget
        var offset = ServerClockOffset()
        var health = StreamHealth()
        /// Trade ids seen on the stream or in a resync (bounded), to tell which fills a resync recovered.
        var seenTrades = TradeIDWindow(capacity: 20_000)
    }

    /// An adapter for `endpoints` over `transport` (HTTP when `nil`); `credentials` are required for anything but market data and must
    /// belong to the same environment.
    public init(
        endpoints: VenueEndpoints, credentials: VenueCredentials?, configuration: Configuration = Configuration(),
        clock: any EpochClock = SystemEpochClock(), transport: (any VenueTransport)? = nil, logger: Logger = Logger(label: "quantum.venue")
    ) throws(VenueError) {
        if let credentials { try credentials.check(against: endpoints) }
        self.endpoints = endpoints
        self.credentials = credentials
        self.signer = credentials.map { RequestSigner(secretKey: $0.secretKey.revealed) }
        self.configuration = configuration
        self.clock = clock
        self.transport = transport ?? HTTPVenueTransport(logger: logger)
        var logger = logger
        logger[metadataKey: "venue"] = "\(endpoints.environment)"
        self.logger = logger
        self.state = Mutex(State(budget: RateLimitBudget(configuration: configuration.rateLimits)))
    }

    /// The venue's time now, by our clock and the measured offset.
    public func venueNow() -> EpochMillis {
        let local = clock.now()
        return state.withLock { $0.offset.venueTime(at: local) }
    }

    /// The measured offset of the venue's clock from ours.
    public var clockOffset: Duration { state.withLock { $0.offset.offset } }

    /// The rate-limit budget left for `priority` now.
    public func headroom(for priority: RequestPriority) -> RateLimitBudget.Headroom {
        let now = venueNow()
        return state.withLock { $0.budget.headroom(for: priority, at: now) }
    }

    public func streamHealth() -> StreamHealth {
        state.withLock { state in
            var health = state.health
            health.bannedUntil = state.budget.bannedUntil
            return health
        }
    }

    func updateHealth(_ change: (inout StreamHealth) -> Void) {
        state.withLock { change(&$0.health) }
    }
}

/// The most recent trade ids, in a set with a bounded memory.
struct TradeIDWindow: Sendable {
    let capacity: Int
    private var members: Set<Int64> = []
    private var order: [Int64] = []
    private var head = 0

    init(capacity: Int) { self.capacity = capacity }

    /// Adds an id; returns whether it was new.
    @discardableResult
    mutating func insert(_ id: Int64) -> Bool {
        guard members.insert(id).inserted else { return false }
        if order.count < capacity {
            order.append(id)
        } else {
            members.remove(order[head])
            order[head] = id
            head = (head + 1) % capacity
        }
        return true
    }

    func contains(_ id: Int64) -> Bool { members.contains(id) }
}
