import QuantumCore
import QuantumVenue
import QuantumSim

/// A method and path the desk serves.
struct RouteKey: Hashable, Sendable {
    var method: RequestMethod
    var path: String
}

/// One endpoint: its handler, and whether the "drop the response" fault applies to it (order placement).
struct DeskRoute: Sendable {
    var handler: @Sendable (inout ExchangeDesk, DeskCall) throws(ExchangeError) -> JSONValue
    var dropsResponseOnFault = false
}

extension ExchangeDesk {
    /// Every endpoint of the reference's §5–6 the simulator serves.
    static let routes: [RouteKey: DeskRoute] = {
        var routes: [RouteKey: DeskRoute] = [:]
        func add(_ method: RequestMethod, _ paths: [String], drops: Bool = false,
                 _ handler: @escaping @Sendable (inout ExchangeDesk, DeskCall) throws(ExchangeError) -> JSONValue) {
            for path in paths { routes[RouteKey(method: method, path: path)] = DeskRoute(handler: handler, dropsResponseOnFault: drops) }
        }
        // Market data (§5).
        add(.get, ["/fapi/v1/ping"]) { _, _ in BinanceJSON.empty }
        add(.get, ["/fapi/v1/time"]) { _, call in ["serverTime": .time(call.now)] }
        add(.get, ["/fapi/v1/exchangeInfo"]) { desk, call in desk.exchangeInfo(call) }
        add(.get, ["/fapi/v1/klines"]) { desk, call throws(ExchangeError) in try desk.klines(call) }
        add(.get, ["/fapi/v1/ticker/price", "/fapi/v2/ticker/price"]) { desk, call throws(ExchangeError) in try desk.tickerPrice(call) }
        add(.get, ["/fapi/v1/ticker/24hr"]) { desk, call throws(ExchangeError) in try desk.ticker24h(call) }
        add(.get, ["/fapi/v1/ticker/bookTicker"]) { desk, call throws(ExchangeError) in try desk.bookTicker(call) }
        add(.get, ["/fapi/v1/premiumIndex"]) { desk, call throws(ExchangeError) in try desk.premiumIndex(call) }
        add(.get, ["/fapi/v1/depth"]) { desk, call throws(ExchangeError) in try desk.depth(call) }
        add(.get, ["/fapi/v1/fundingRate"]) { desk, call throws(ExchangeError) in try desk.fundingRate(call) }
        // Orders (§6.1–6.2).
        add(.post, ["/fapi/v1/order"], drops: true) { desk, call throws(ExchangeError) in try desk.newOrder(call) }
        add(.post, ["/fapi/v1/batchOrders"]) { desk, call throws(ExchangeError) in try desk.newBatchOrders(call) }
        add(.delete, ["/fapi/v1/batchOrders"]) { desk, call throws(ExchangeError) in try desk.cancelBatchOrders(call) }
        add(.post, ["/fapi/v1/order/test"]) { desk, call throws(ExchangeError) in try desk.testOrder(call) }
        add(.get, ["/fapi/v1/order"]) { desk, call throws(ExchangeError) in try desk.queryOrder(call) }
        add(.put, ["/fapi/v1/order"]) { desk, call throws(ExchangeError) in try desk.modifyOrder(call) }
        add(.delete, ["/fapi/v1/order"]) { desk, call throws(ExchangeError) in try desk.cancelOrder(call) }
        add(.delete, ["/fapi/v1/allOpenOrders"]) { desk, call throws(ExchangeError) in try desk.cancelAllOrders(call) }
        add(.get, ["/fapi/v1/openOrders"]) { desk, call throws(ExchangeError) in try desk.openOrders(call) }
        add(.get, ["/fapi/v1/openOrder"]) { desk, call throws(ExchangeError) in try desk.openOrder(call) }
        add(.get, ["/fapi/v1/allOrders"]) { desk, call throws(ExchangeError) in try desk.allOrders(call) }
        add(.get, ["/fapi/v1/userTrades"]) { desk, call throws(ExchangeError) in try desk.userTrades(call) }
        // Positions, account, configuration (§6.3–6.4).
        add(.get, ["/fapi/v2/positionRisk"]) { desk, call throws(ExchangeError) in try desk.positionRisk(call, version: 2) }
        add(.get, ["/fapi/v3/positionRisk"]) { desk, call throws(ExchangeError) in try desk.positionRisk(call, version: 3) }
        add(.get, ["/fapi/v2/account"]) { desk, call throws(ExchangeError) in BinanceJSON.accountV2(try desk.accountView(call)) }
        add(.get, ["/fapi/v3/account"]) { desk, call throws(ExchangeError) in BinanceJSON.accountV3(try desk.accountView(call)) }
        add(.get, ["/fapi/v2/balance", "/fapi/v3/balance"]) { desk, call throws(ExchangeError) in BinanceJSON.balance(try desk.accountView(call)) }
        add(.post, ["/fapi/v1/leverage"]) { desk, call throws(ExchangeError) in try desk.setLeverage(call) }
        add(.post, ["/fapi/v1/marginType"]) { desk, call throws(ExchangeError) in try desk.setMarginType(call) }
        add(.get, ["/fapi/v1/positionSide/dual"]) { desk, call throws(ExchangeError) in try desk.positionMode(call) }
        add(.post, ["/fapi/v1/positionSide/dual"]) { desk, call throws(ExchangeError) in try desk.setPositionMode(call) }
        add(.get, ["/fapi/v1/leverageBracket"]) { desk, call throws(ExchangeError) in try desk.leverageBrackets(call) }
        add(.get, ["/fapi/v1/symbolConfig"]) { desk, call throws(ExchangeError) in try desk.symbolConfig(call) }
        add(.get, ["/fapi/v1/accountConfig"]) { desk, call throws(ExchangeError) in try desk.accountConfig(call) }
        add(.get, ["/fapi/v1/commissionRate"]) { desk, call throws(ExchangeError) in try desk.commissionRate(call) }
        // Conditional orders (§6.5).
        add(.post, ["/fapi/v1/algoOrder"], drops: true) { desk, call throws(ExchangeError) in try desk.newAlgoOrder(call) }
        add(.get, ["/fapi/v1/algoOrder"]) { desk, call throws(ExchangeError) in try desk.queryAlgoOrder(call) }
        add(.delete, ["/fapi/v1/algoOrder"]) { desk, call throws(ExchangeError) in try desk.cancelAlgoOrder(call) }
        add(.delete, ["/fapi/v1/algoOpenOrders"]) { desk, call throws(ExchangeError) in try desk.cancelAllAlgoOrders(call) }
        add(.get, ["/fapi/v1/openAlgoOrders"]) { desk, call throws(ExchangeError) in try desk.openAlgoOrders(call) }
        add(.get, ["/fapi/v1/allAlgoOrders"]) { desk, call throws(ExchangeError) in try desk.allAlgoOrders(call) }
        // User data stream (§6.6).
        add(.post, ["/fapi/v1/listenKey"]) { desk, call throws(ExchangeError) in try desk.openListenKey(call) }
        add(.put, ["/fapi/v1/listenKey"]) { desk, call throws(ExchangeError) in try desk.keepAliveListenKey(call) }
        add(.delete, ["/fapi/v1/listenKey"]) { desk, call throws(ExchangeError) in try desk.closeListenKey(call) }
        return routes
    }()

    /// Whether the desk serves a method and path.
    public static func serves(_ method: RequestMethod, _ path: String) -> Bool {
        routes[RouteKey(method: method, path: path)] != nil
    }

    // MARK: - Shared parameter readers

    /// The `symbol` parameter, required; `-1121` if the simulator does not list it.
    func symbol(_ call: DeskCall) throws(ExchangeError) -> Symbol {
        let name = try call.parameters.requiredString("symbol")
        guard let symbol = Symbol(rawValue: name), engine.rules[symbol] != nil else { throw .badSymbol }
        return symbol
    }

    /// The optional `symbol` parameter; `-1121` if sent and unknown.
    func optionalSymbol(_ call: DeskCall) throws(ExchangeError) -> Symbol? {
        guard call.parameters.isPresent("symbol") else { return nil }
        return try symbol(call)
    }

    /// `limit` within `1...max`, `defaultValue` if absent; `-1130` otherwise.
    func limit(_ call: DeskCall, default defaultValue: Int, max: Int) throws(ExchangeError) -> Int {
        guard let limit = try call.parameters.int("limit") else { return defaultValue }
        guard limit >= 1, limit <= max else { throw .invalidParameter("limit") }
        return limit
    }
}
