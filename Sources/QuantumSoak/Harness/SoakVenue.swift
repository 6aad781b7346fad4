import QuantumCore
import QuantumVenue

/// The venue as the soak hands it to the system: the real adapter, passed through; with the seam
/// `unknownOutcomesAsRejections` it tells the executor "rejected" where the truth is "unknown" — the defect
/// of taking a 408/5xx/lost reply for a refusal, put back from outside the system.
struct SoakVenue: Venue {
    let base: any Venue
    let unknownOutcomesAsRejections: Bool

    var endpoints: VenueEndpoints { base.endpoints }
    func symbolRules() async throws(VenueError) -> [Symbol: SymbolRules] { try await base.symbolRules() }
    func serverTime() async throws(VenueError) -> EpochMillis { try await base.serverTime() }
    func synchroniseClock(samples: Int) async throws(VenueError) -> Duration { try await base.synchroniseClock(samples: samples) }
    func account() async throws(VenueError) -> VenueAccount { try await base.account() }
    func positions(symbol: Symbol?) async throws(VenueError) -> [VenuePosition] { try await base.positions(symbol: symbol) }
    func symbolConfigurations(symbol: Symbol?) async throws(VenueError) -> [SymbolConfiguration] {
        try await base.symbolConfigurations(symbol: symbol)
    }
    func klines(symbol: Symbol, interval: KlineInterval, limit: Int) async throws(VenueError) -> [KlineUpdate] {
        try await base.klines(symbol: symbol, interval: interval, limit: limit)
    }
    func positionMode() async throws(VenueError) -> PositionMode { try await base.positionMode() }
    func setPositionMode(_ mode: PositionMode) async throws(VenueError) { try await base.setPositionMode(mode) }
    func setLeverage(_ leverage: Leverage, for symbol: Symbol) async throws(VenueError) -> SymbolConfiguration {
        try await base.setLeverage(leverage, for: symbol)
    }
    func setMarginType(_ type: MarginType, for symbol: Symbol) async throws(VenueError) { try await base.setMarginType(type, for: symbol) }
    func submit(_ order: VenueOrderRequest) async -> Submission<SubmissionOutcome> { await base.submit(order) }

    func place(_ order: VenueOrderRequest) async -> OrderPlacement {
        let placement = await base.place(order)
        if unknownOutcomesAsRejections, case .unknown(let error) = placement {
            return .rejected(VenueError(.rejected, "taken for a refusal: \(error)", binanceCode: -1000))
        }
        return placement
    }

    func order(_ clientOrderID: ClientOrderID, symbol: Symbol, priority: RequestPriority) async throws(VenueError) -> VenueOrder? {
        try await base.order(clientOrderID, symbol: symbol, priority: priority)
    }
    func cancel(_ clientOrderID: ClientOrderID, symbol: Symbol) async throws(VenueError) -> VenueOrder? {
        try await base.cancel(clientOrderID, symbol: symbol)
    }
    func openOrders(symbol: Symbol?) async throws(VenueError) -> [VenueOrder] { try await base.openOrders(symbol: symbol) }
    func userTrades(symbol: Symbol, from start: EpochMillis?, limit: Int) async throws(VenueError) -> [UserTrade] {
        try await base.userTrades(symbol: symbol, from: start, limit: limit)
    }
    func trades(ofOrder orderID: Int64, symbol: Symbol) async throws(VenueError) -> [UserTrade] {
        try await base.trades(ofOrder: orderID, symbol: symbol)
    }
    func submitConditional(_ order: ConditionalOrderRequest) async -> Submission<Resolution<VenueAlgoOrder>> {
        await base.submitConditional(order)
    }
    func conditionalOrder(_ clientAlgoID: ClientOrderID, priority: RequestPriority) async throws(VenueError) -> VenueAlgoOrder? {
        try await base.conditionalOrder(clientAlgoID, priority: priority)
    }
    func cancelConditional(_ clientAlgoID: ClientOrderID) async throws(VenueError) -> VenueAlgoOrder? {
        try await base.cancelConditional(clientAlgoID)
    }
    func openConditionalOrders(symbol: Symbol?, priority: RequestPriority) async throws(VenueError) -> [VenueAlgoOrder] {
        try await base.openConditionalOrders(symbol: symbol, priority: priority)
    }
    func runUserStream(symbols: [Symbol], _ handler: @escaping @Sendable (VenueEvent) async -> Void) async throws(VenueError) {
        try await base.runUserStream(symbols: symbols, handler)
    }
    func runMarketStreams(_ subscriptions: [MarketSubscription], _ handler: @escaping @Sendable (MarketEvent) async -> Void) async throws(VenueError) {
        try await base.runMarketStreams(subscriptions, handler)
    }
    func streamHealth() -> StreamHealth { base.streamHealth() }
}
