import QuantumCore

/// The simulated exchange and its market feed in one process, with no HTTP: the venue of backtests.
///
/// Time is the feed's: each `step()` takes the next tick and applies it, so a backtest runs as fast
/// as the CPU allows and gives the same fills for the same feed and the same orders. Orders are
/// placed at the venue's current time, the way a live order lands between two ticks.
public struct InProcessVenue: Sendable {
    public var paper: PaperExchange
    private var feed: any MarketFeed & Sendable

    /// A venue over a feed; accounts are opened on `paper.engine` (or with `openAccount`).
    public init(paper: PaperExchange, feed: any MarketFeed & Sendable) {
        self.paper = paper
        self.feed = feed
    }

    /// The venue's current time: the latest tick applied.
    public var time: EpochMillis { paper.time }

    /// The time of the next tick, `nil` when the feed is exhausted.
    public var nextTime: EpochMillis? { feed.nextTime }

    /// Applies the next tick; `nil` when the feed is exhausted.
    @discardableResult
    public mutating func step() -> PaperExchange.TickOutcome? {
        while let tick = feed.next() {
            if let outcome = paper.apply(tick) { return outcome }
        }
        return nil
    }

    /// Applies every tick up to and including `time`; returns how many were applied.
    @discardableResult
    public mutating func run(until time: EpochMillis) -> Int {
        var count = 0
        while let next = feed.nextTime, next <= time, step() != nil { count += 1 }
        return count
    }

    /// Opens an account with a USDT balance.
    public mutating func openAccount(_ key: String, balance: Notional) {
        paper.engine.openAccount(key, balance: balance)
    }

    /// Places an order at the current time.
    public mutating func placeOrder(_ key: String, _ request: NewOrderRequest) throws(ExchangeError) -> SimOrder {
        try paper.engine.placeOrder(key, request, time: paper.time)
    }

    /// Places a conditional order at the current time.
    public mutating func placeAlgoOrder(_ key: String, _ request: NewAlgoOrderRequest) throws(ExchangeError) -> AlgoOrder {
        try paper.engine.placeAlgoOrder(key, request, time: paper.time)
    }

    /// Cancels an order at the current time.
    public mutating func cancelOrder(_ key: String, symbol: Symbol, orderID: Int64?, clientOrderID: String?) throws(ExchangeError) -> SimOrder {
        try paper.engine.cancelOrder(key, symbol: symbol, orderID: orderID, clientOrderID: clientOrderID, time: paper.time)
    }

    /// Cancels a conditional order at the current time.
    public mutating func cancelAlgoOrder(_ key: String, algoID: Int64?, clientAlgoID: String?) throws(ExchangeError) -> AlgoOrder {
        try paper.engine.cancelAlgoOrder(key, algoID: algoID, clientAlgoID: clientAlgoID, time: paper.time)
    }

    /// The pending user-stream events of an account.
    public mutating func drainEvents(_ key: String) -> [UserEvent] { paper.engine.drainEvents(key) }
}
