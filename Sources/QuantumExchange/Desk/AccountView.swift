import QuantumCore
import QuantumSim

/// An account as the account, balance and positionRisk endpoints report it, read from the engine in one go.
public struct AccountView: Sendable {
    /// One position row (a zero row for symbols without a position).
    public struct PositionRow: Sendable {
        public var snapshot: PositionSnapshot
        /// |notional| / leverage.
        public var initialMargin: Notional
        public var maintenanceMargin: Notional
        /// Margin held by open non-reduce-only orders of the symbol.
        public var openOrderMargin: Notional
        /// Largest position notional the current leverage allows ("0" when unlimited).
        public var maxNotional: Notional
        /// Whether the symbol has open orders (v3 lists only symbols with a position or orders).
        public var hasOpenOrders: Bool
        /// Notional of open BUY / SELL orders.
        public var bidNotional: Notional
        public var askNotional: Notional
    }

    public var summary: AccountSummary
    public var hedgeMode: Bool
    public var rows: [PositionRow]
    public var time: EpochMillis

    /// Reads an account: one row per symbol (and per side in hedge mode), in symbol order.
    public init(exchange: SimulatedExchange, key: String, time: EpochMillis) throws(ExchangeError) {
        guard let account = exchange.account(key) else { throw EdgeErrors.rejectedAPIKey(requestIP: nil) }
        summary = try exchange.summary(key)
        hedgeMode = account.hedgeMode
        self.time = time
        let sides: [PositionSideParameter] = account.hedgeMode ? [.long, .short] : [.both]
        var rows: [PositionRow] = []
        for symbol in exchange.rules.keys.sorted() {
            let orders = account.openOrders(symbol)
            for side in sides {
                let snapshot = try exchange.position(key, symbol: symbol, side: side)
                do { rows.append(try Self.row(snapshot, orders: orders, exchange: exchange)) } catch { throw .unknown }
            }
        }
        self.rows = rows
    }

    private static func row(_ snapshot: PositionSnapshot, orders: [SimOrder], exchange: SimulatedExchange) throws -> PositionRow {
        let magnitude = try snapshot.notional.magnitude()
        var bid = Notional.zero, ask = Notional.zero, held = Notional.zero
        for order in orders where order.positionSide == snapshot.positionSide {
            let notional = try order.price.notional(of: order.remainingQuantity)
            if order.side == .buy { bid = try bid + notional } else { ask = try ask + notional }
            if !order.reduceOnly { held = try held + Notional(units: (try notional.margin(at: snapshot.leverage)).units) }
        }
        return PositionRow(
            snapshot: snapshot,
            initialMargin: Notional(units: (try magnitude.margin(at: snapshot.leverage)).units),
            maintenanceMargin: try exchange.maintenanceMargin(snapshot.symbol, magnitude),
            openOrderMargin: held,
            maxNotional: exchange.maxNotional(snapshot.symbol, snapshot.leverage) ?? .zero,
            hasOpenOrders: !orders.isEmpty, bidNotional: bid, askNotional: ask)
    }

    /// Rows with a position or open orders (what the v3 endpoints list).
    public var activeRows: [PositionRow] {
        rows.filter { !$0.snapshot.quantity.isZero || $0.hasOpenOrders }
    }
}
