import QuantumBus
import QuantumCore
import QuantumVenue

/// The executor's own risk inputs: the account and its windows, recent orders, churn, verified leverage.
///
/// The risk guard is a pure function; this actor holds what it is fed that only the executor knows.
/// The account windows are stored under `quantum:account` so peak equity, the day's start and the
/// loss streak survive a restart.
actor ExecutionLimits {
    private let store: any StateStore
    private(set) var account = AccountWindows()
    private var orders: [(symbol: Symbol, time: EpochMillis)] = []
    private var opens: [Symbol: [EpochMillis]] = [:]
    private var leverage: [Symbol: SymbolConfiguration] = [:]

    init(store: any StateStore) {
        self.store = store
    }

    func load() async throws {
        account = AccountWindows(fields: try await store.fields(StateKey.account))
    }

    /// A fresh read of the venue account.
    func observe(_ venue: VenueAccount, at now: EpochMillis) async throws {
        account.observe(equity: venue.marginBalance, available: Margin(units: venue.availableBalance.units), at: now)
        try await store.setFields(StateKey.account, account.fields)
    }

    /// A position epoch closed with this net result.
    func recordClose(net: Notional) async throws {
        account.recordClose(net: net)
        try await store.setFields(StateKey.account, account.fields)
    }

    /// An order was sent (per-symbol and global order rates).
    func recordOrder(_ symbol: Symbol, at now: EpochMillis) {
        orders.append((symbol, now))
    }

    /// An open was sent (the churn breaker counts these).
    func recordOpen(_ symbol: Symbol, at now: EpochMillis) {
        opens[symbol, default: []].append(now)
    }

    /// Orders sent in the last minute, per symbol.
    func ordersLastMinute(at now: EpochMillis) -> [Symbol: Int] {
        orders.removeAll { now.duration(since: $0.time) > .seconds(60) }
        return orders.reduce(into: [:]) { $0[$1.symbol, default: 0] += 1 }
    }

    /// Symbols with `limit` or more opens within `window`: paused by the churn breaker (FM-13).
    func churning(at now: EpochMillis, limit: Int, window: Duration) -> Set<Symbol> {
        var paused: Set<Symbol> = []
        for (symbol, times) in opens {
            let recent = times.filter { now.duration(since: $0) <= window }
            opens[symbol] = recent
            if recent.count >= limit { paused.insert(symbol) }
        }
        return paused
    }

    func verifiedLeverage(_ symbol: Symbol) -> SymbolConfiguration? { leverage[symbol] }

    func setVerifiedLeverage(_ configuration: SymbolConfiguration) {
        leverage[configuration.symbol] = configuration
    }
}
