import QuantumCore

/// The key of a position: symbol and side (`BOTH` in one-way mode).
public struct PositionKey: Hashable, Sendable, Comparable {
    public var symbol: Symbol
    public var side: PositionSideParameter

    public init(symbol: Symbol, side: PositionSideParameter) {
        self.symbol = symbol
        self.side = side
    }

    public static func < (lhs: PositionKey, rhs: PositionKey) -> Bool {
        (lhs.symbol.rawValue, lhs.side.rawValue) < (rhs.symbol.rawValue, rhs.side.rawValue)
    }
}

/// One simulated USDT-margined futures account (one API key).
public struct SimAccount: Hashable, Sendable {
    /// Deposits plus realised PnL minus fees plus funding.
    public var walletBalance: Notional
    /// Hedge mode (`dualSidePosition=true`) or one-way.
    public var hedgeMode = false
    public var leverage: [Symbol: Leverage] = [:]
    public var marginType: [Symbol: MarginType] = [:]
    /// Isolated wallet per position (isolated margin only).
    public var isolatedWallet: [PositionKey: Notional] = [:]
    public var positions: [PositionKey: PositionLedger] = [:]
    public var positionUpdateTime: [PositionKey: EpochMillis] = [:]
    /// Every order of the account, open and closed (write through `record(_:)` so the open index stays right).
    public internal(set) var orders: [Int64: SimOrder] = [:]
    /// The ids of the open orders: scans of open orders stay proportional to them, not to the whole history.
    public private(set) var openOrderIDs: Set<Int64> = []
    /// Every conditional order of the account, live and ended (write through `record(_:)` so the indexes stay right).
    public private(set) var algoOrders: [Int64: AlgoOrder] = [:]
    /// The ids of the live conditional orders, so trigger checks on every tick stay proportional to them.
    public private(set) var openAlgoIDs: Set<Int64> = []
    /// The newest order and conditional order under each client id: lookups by client id without a scan of history.
    private var newestOrderByClientID: [String: Int64] = [:]
    private var newestAlgoByClientID: [String: Int64] = [:]
    public var trades: [SimTrade] = []
    /// Events for the user data stream, drained by the transport.
    public var events: [UserEvent] = []
    /// How long positions went without a protective stop, by the exchange's clock.
    public var protection = ProtectionAudit()

    public init(walletBalance: Notional) {
        self.walletBalance = walletBalance
    }

    /// The open orders of a symbol (or all), oldest first.
    public func openOrders(_ symbol: Symbol? = nil) -> [SimOrder] {
        openOrderIDs.compactMap { orders[$0] }.filter { symbol == nil || $0.symbol == symbol }.sorted { $0.orderID < $1.orderID }
    }

    /// Stores an order and keeps the open-order index in step with its status.
    mutating func record(_ order: SimOrder) {
        orders[order.orderID] = order
        if order.status.isOpen { openOrderIDs.insert(order.orderID) } else { openOrderIDs.remove(order.orderID) }
        if newestOrderByClientID[order.clientOrderID].map({ $0 < order.orderID }) ?? true {
            newestOrderByClientID[order.clientOrderID] = order.orderID
        }
    }

    /// Stores a conditional order and keeps the live index in step with its status.
    mutating func record(_ algo: AlgoOrder) {
        algoOrders[algo.algoID] = algo
        if algo.status == .new { openAlgoIDs.insert(algo.algoID) } else { openAlgoIDs.remove(algo.algoID) }
        if newestAlgoByClientID[algo.clientAlgoID].map({ $0 < algo.algoID }) ?? true {
            newestAlgoByClientID[algo.clientAlgoID] = algo.algoID
        }
    }

    /// The most recent conditional order with that client id (ids may be reused once the earlier one has ended).
    public func algoOrder(clientAlgoID: String) -> AlgoOrder? {
        newestAlgoByClientID[clientAlgoID].flatMap { algoOrders[$0] }
    }

    /// The live conditional orders of a symbol (or all).
    public func openAlgoOrders(_ symbol: Symbol? = nil) -> [AlgoOrder] {
        openAlgoIDs.compactMap { algoOrders[$0] }.filter { symbol == nil || $0.symbol == symbol }.sorted { $0.algoID < $1.algoID }
    }

    /// An order found by exchange id or client order id.
    public func order(id: Int64?, clientOrderID: String?) -> SimOrder? {
        if let id { return orders[id] }
        guard let clientOrderID else { return nil }
        // The most recent order with that client id (ids may be reused once the earlier order is closed).
        return newestOrderByClientID[clientOrderID].flatMap { orders[$0] }
    }
}
