import QuantumCore

/// What the trading system needs from an exchange, in typed values.
///
/// Orders are addressed by *our* client order id, never by time or position in a list, so
/// recovery after a crash or an ambiguous reply is exact. Implemented by `BinanceFuturesVenue`
/// (production, demo, or the simulator on loopback) and by test doubles.
public protocol Venue: Sendable {
    /// Where the venue is and which environment it belongs to.
    var endpoints: VenueEndpoints { get }

    // MARK: Reference data and account

    /// Trading rules of every symbol (`exchangeInfo` filters).
    func symbolRules() async throws(VenueError) -> [Symbol: SymbolRules]
    /// The venue's clock.
    func serverTime() async throws(VenueError) -> EpochMillis
    /// Measures the venue's clock against ours (venue − local), and from then on signs with it.
    func synchroniseClock(samples: Int) async throws(VenueError) -> Duration
    /// The account's totals (equity, available balance, margins).
    func account() async throws(VenueError) -> VenueAccount
    /// Non-flat positions (or every row of `symbol`).
    func positions(symbol: Symbol?) async throws(VenueError) -> [VenuePosition]
    /// Leverage and margin type per symbol.
    func symbolConfigurations(symbol: Symbol?) async throws(VenueError) -> [SymbolConfiguration]

    /// The most recent `limit` klines (oldest first; the last may still be forming), to backfill
    /// bars a market-stream reconnect may have missed.
    func klines(symbol: Symbol, interval: KlineInterval, limit: Int) async throws(VenueError) -> [KlineUpdate]

    // MARK: Configuration

    func positionMode() async throws(VenueError) -> PositionMode
    func setPositionMode(_ mode: PositionMode) async throws(VenueError)
    func setLeverage(_ leverage: Leverage, for symbol: Symbol) async throws(VenueError) -> SymbolConfiguration
    func setMarginType(_ type: MarginType, for symbol: Symbol) async throws(VenueError)

    // MARK: Orders

    /// Places an order safely against ambiguity: on a timeout, 5xx, disconnect or unreadable reply it
    /// queries by client order id before anything else and resends (same id) only on proof of absence.
    func submit(_ order: VenueOrderRequest) async -> Submission<SubmissionOutcome>
    /// Sends an order once (signed after the rate-limit wait) and says what the reply tells, resolving nothing: the
    /// executor journals before every send and looks an unclear outcome up itself (`PlanExecution`). An opening order
    /// does not wait for rate-limit budget: it comes back `.notSent` with the wait as `retryAfter`, so the executor
    /// judges it again (expiry, kill switch, limits) before it goes; a reduce-only order waits.
    func place(_ order: VenueOrderRequest) async -> OrderPlacement
    /// The order with this client order id; `nil` when the venue proves it does not exist (-2013).
    func order(_ clientOrderID: ClientOrderID, symbol: Symbol, priority: RequestPriority) async throws(VenueError) -> VenueOrder?
    /// Cancels by client order id; `nil` when there was no such open order.
    func cancel(_ clientOrderID: ClientOrderID, symbol: Symbol) async throws(VenueError) -> VenueOrder?
    func openOrders(symbol: Symbol?) async throws(VenueError) -> [VenueOrder]
    /// Fills of `symbol` from `start` (inclusive), oldest first.
    func userTrades(symbol: Symbol, from start: EpochMillis?, limit: Int) async throws(VenueError) -> [UserTrade]
    /// Every fill of one order (however long ago, whatever happened since).
    func trades(ofOrder orderID: Int64, symbol: Symbol) async throws(VenueError) -> [UserTrade]

    // MARK: Conditional (algo) orders

    /// Places a conditional order with the same ambiguity discipline as `submit`.
    func submitConditional(_ order: ConditionalOrderRequest) async -> Submission<Resolution<VenueAlgoOrder>>
    /// The conditional order with this client algo id; `nil` when it does not exist.
    func conditionalOrder(_ clientAlgoID: ClientOrderID, priority: RequestPriority) async throws(VenueError) -> VenueAlgoOrder?
    /// Cancels a conditional order; `nil` when there was no such live order.
    func cancelConditional(_ clientAlgoID: ClientOrderID) async throws(VenueError) -> VenueAlgoOrder?
    func openConditionalOrders(symbol: Symbol?, priority: RequestPriority) async throws(VenueError) -> [VenueAlgoOrder]

    // MARK: Streams

    /// Runs the user-data stream until the task is cancelled: `handler` gets every event in order,
    /// and a `resynced` snapshot after every (re)connect. Reconnects on its own; throws only when it
    /// cannot go on (banned, keys refused).
    func runUserStream(symbols: [Symbol], _ handler: @escaping @Sendable (VenueEvent) async -> Void) async throws(VenueError)
    /// Runs market streams until cancelled, reconnecting on its own; `reconnected` marks each new connection.
    func runMarketStreams(_ subscriptions: [MarketSubscription], _ handler: @escaping @Sendable (MarketEvent) async -> Void) async throws(VenueError)
    /// The streams' connection health, for the health monitor.
    func streamHealth() -> StreamHealth
}

extension Venue {
    /// The conditional order with this client algo id, asked at protective priority.
    public func conditionalOrder(_ clientAlgoID: ClientOrderID) async throws(VenueError) -> VenueAlgoOrder? {
        try await conditionalOrder(clientAlgoID, priority: .protective)
    }

    /// Live conditional orders, asked at reconciliation priority.
    public func openConditionalOrders(symbol: Symbol?) async throws(VenueError) -> [VenueAlgoOrder] {
        try await openConditionalOrders(symbol: symbol, priority: .reconciliation)
    }
}
