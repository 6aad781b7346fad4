import QuantumCore

/// A Binance USDⓈ-M futures exchange as a pure, deterministic state machine.
///
/// No clock and no I/O: every call takes the time, so the same calls give the same fills, ids and
/// events (the transport and backtests drive it). The book is synthetic: the best bid and ask sit
/// `halfSpreadTicks` ticks either side of the last price with unlimited depth, so market orders
/// fill at one price; resting limit orders fill at their price when the last price trades through.
/// Accounts are USDT cross margin by default (isolated per symbol as a switch), one-way by default
/// (hedge mode as a switch).
public struct SimulatedExchange: Sendable {
    /// Fees, spread, starting balance and limits.
    public struct Configuration: Hashable, Sendable {
        /// 0.02 % maker, 0.05 % taker: Binance's base tier.
        public var makerFee = Ratio(units: 20_000)
        public var takerFee = Ratio(units: 50_000)
        public var halfSpreadTicks: Int64 = 1
        public var defaultLeverage = Leverage(rawValue: 20)!
        /// Open orders per symbol (MAX_NUM_ORDERS).
        public var maxOpenOrders = 200
        /// Maintenance margin rate used when a symbol has no leverage brackets.
        public var defaultMaintenanceRate = Ratio(units: 400_000)

        public init() {}
    }

    /// Last and mark price of a symbol.
    public struct MarketPrice: Hashable, Sendable {
        public var last: Price
        public var mark: Price
        public var time: EpochMillis
    }

    public var configuration: Configuration
    public private(set) var rules: [Symbol: SymbolRules]
    /// Maximum position notional at a leverage, per symbol (from leverage brackets); `nil` = unlimited.
    public var maxNotional: @Sendable (Symbol, Leverage) -> Notional?
    /// Maintenance margin of a position notional, per symbol (from leverage brackets).
    public var maintenanceMargin: (@Sendable (Symbol, Notional) -> Notional)?
    /// Highest leverage a symbol accepts (from leverage brackets); `nil` = 125.
    public var maxLeverage: @Sendable (Symbol) -> Leverage? = { _ in nil }
    public internal(set) var markets: [Symbol: MarketPrice] = [:]
    public internal(set) var accounts: [String: SimAccount] = [:]
    /// The next this many market orders fill in two trades (an order walking two resting orders): PARTIALLY_FILLED, then FILLED.
    public var splitMarketFills = 0
    var nextOrderID: Int64 = 1_000_000
    var nextTradeID: Int64 = 1
    var nextAlgoID: Int64 = 5_000_000

    public init(rules: [Symbol: SymbolRules], configuration: Configuration = Configuration()) {
        self.rules = rules
        self.configuration = configuration
        self.maxNotional = { _, _ in nil }
    }

    /// Opens an account for an API key with a starting USDT balance (replacing any account of that key).
    public mutating func openAccount(_ key: String, balance: Notional) {
        accounts[key] = SimAccount(walletBalance: balance)
    }

    /// The account of a key.
    public func account(_ key: String) -> SimAccount? { accounts[key] }

    /// Removes and returns the pending user-stream events of an account.
    public mutating func drainEvents(_ key: String) -> [UserEvent] {
        // Changed in place (no copy of the account's history).
        guard let events = accounts[key]?.events, !events.isEmpty else { return [] }
        accounts[key]?.events = []
        return events
    }

    /// Best bid and ask of the synthetic book.
    public func bookTop(_ symbol: Symbol) -> (bid: Price, ask: Price)? {
        guard let market = markets[symbol], let rules = rules[symbol] else { return nil }
        let spread = (try? rules.tickSize * configuration.halfSpreadTicks) ?? .zero
        let bid = (try? market.last - spread) ?? market.last
        let ask = (try? market.last + spread) ?? market.last
        return (bid.isPositive ? bid : market.last, ask)
    }

    /// Moves the market: new last and mark price at `time`; fills crossing limit orders and fires triggered conditional orders.
    public mutating func updateMarket(_ symbol: Symbol, last: Price, mark: Price, time: EpochMillis) {
        guard last.isPositive, mark.isPositive, rules[symbol] != nil else { return }
        markets[symbol] = MarketPrice(last: last, mark: mark, time: time)
        for key in accounts.keys.sorted() {
            fillRestingOrders(account: key, symbol: symbol, time: time)
            triggerAlgoOrders(account: key, symbol: symbol, time: time)
        }
        liquidateIfNeeded(time: time)
        for key in accounts.keys { auditProtection(account: key, symbol: symbol, time: time) }
    }

    // MARK: - Identity helpers

    mutating func takeOrderID() -> Int64 {
        defer { nextOrderID += 1 }
        return nextOrderID
    }

    mutating func takeTradeID() -> Int64 {
        defer { nextTradeID += 1 }
        return nextTradeID
    }

    mutating func takeAlgoID() -> Int64 {
        defer { nextAlgoID += 1 }
        return nextAlgoID
    }

    /// A client id Binance would generate when none is sent.
    func generatedClientID(prefix: String, id: Int64) -> String { "\(prefix)\(id)" }

    /// The account of a key, or -2015 as Binance answers an unknown key.
    func requireAccount(_ key: String) throws(ExchangeError) -> SimAccount {
        guard let account = accounts[key] else {
            throw ExchangeError(code: -2015, message: "Invalid API-key, IP, or permissions for action.")
        }
        return account
    }

    /// Runs an operation whose internals throw untyped errors, reporting anything but an `ExchangeError` as -1000.
    ///
    /// Operations work on copies and write back at the end, so a failure leaves the exchange unchanged.
    static func guarded<T>(_ body: () throws -> T) throws(ExchangeError) -> T {
        do {
            return try body()
        } catch let error as ExchangeError {
            throw error
        } catch {
            throw ExchangeError(code: -1000, message: "An unknown error occured while processing the request. (\(error))")
        }
    }
}
