import QuantumCore
import QuantumVenue
import QuantumSim

extension ExchangeDesk {
    /// The caller's account as the account endpoints report it.
    func accountView(_ call: DeskCall) throws(ExchangeError) -> AccountView {
        try AccountView(exchange: engine, key: try call.account(), time: call.marketTime)
    }

    /// `positionRisk` v2 (every symbol) or v3 (active ones), optionally for one symbol.
    func positionRisk(_ call: DeskCall, version: Int) throws(ExchangeError) -> JSONValue {
        let symbol = try optionalSymbol(call)
        var view = try accountView(call)
        if let symbol { view.rows = view.rows.filter { $0.snapshot.symbol == symbol } }
        return version == 2 ? BinanceJSON.positionRiskV2(view) : BinanceJSON.positionRiskV3(view)
    }

    /// `POST /fapi/v1/leverage`.
    mutating func setLeverage(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let raw = try call.parameters.requiredInt("leverage")
        let (leverage, cap) = try paper.engine.setLeverage(try call.account(), symbol: symbol, leverage: raw)
        return ["leverage": .integer(Int64(leverage.rawValue)), "maxNotionalValue": .plain(cap ?? .zero), "symbol": .string(symbol.rawValue)]
    }

    /// `POST /fapi/v1/marginType` (ISOLATED or CROSSED).
    mutating func setMarginType(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let symbol = try symbol(call)
        let type: MarginType
        switch try call.parameters.requiredString("marginType").uppercased() {
        case "ISOLATED": type = .isolated
        case "CROSSED", "CROSS": type = .cross
        default: throw .invalidParameter("marginType")
        }
        try paper.engine.setMarginType(try call.account(), symbol: symbol, type)
        return BinanceJSON.success()
    }

    /// `GET /fapi/v1/positionSide/dual`.
    func positionMode(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        ["dualSidePosition": .bool(try accountState(call).hedgeMode)]
    }

    /// `POST /fapi/v1/positionSide/dual`.
    mutating func setPositionMode(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        try paper.engine.setHedgeMode(try call.account(), try call.parameters.requiredBool("dualSidePosition"))
        return BinanceJSON.success()
    }

    /// `GET /fapi/v1/leverageBracket`: always the array form (what live Binance returns).
    func leverageBrackets(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        _ = try call.account()
        let symbol = try optionalSymbol(call)
        guard let table = configuration.brackets else { return [] }
        let symbols = symbol.map { [$0] } ?? engine.rules.keys.sorted()
        return .array(symbols.compactMap { table[$0] }.map(BinanceJSON.leverageBrackets))
    }

    /// `GET /fapi/v1/symbolConfig`: leverage and margin type per symbol.
    func symbolConfig(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let account = try accountState(call)
        let symbols = try optionalSymbol(call).map { [$0] } ?? engine.rules.keys.sorted()
        return .array(symbols.map { symbol in
            let leverage = account.leverage[symbol] ?? engine.configuration.defaultLeverage
            return [
                "symbol": .string(symbol.rawValue),
                "marginType": .string(account.marginType[symbol] == .isolated ? "ISOLATED" : "CROSSED"),
                "isAutoAddMargin": "false",
                "leverage": .integer(Int64(leverage.rawValue)),
                "maxNotionalValue": .plain(engine.maxNotional(symbol, leverage) ?? .zero),
            ]
        })
    }

    /// `GET /fapi/v1/accountConfig`.
    func accountConfig(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        let account = try accountState(call)
        return [
            "feeTier": 0, "canTrade": true, "canDeposit": true, "canWithdraw": true,
            "dualSidePosition": .bool(account.hedgeMode), "updateTime": 0, "multiAssetsMargin": false, "tradeGroupId": -1,
        ]
    }

    /// `GET /fapi/v1/commissionRate`.
    func commissionRate(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        _ = try call.account()
        let symbol = try symbol(call)
        return [
            "symbol": .string(symbol.rawValue),
            "makerCommissionRate": .string(engine.configuration.makerFee.formatted(decimals: 4)),
            "takerCommissionRate": .string(engine.configuration.takerFee.formatted(decimals: 4)),
        ]
    }

    // MARK: - Listen keys (USER_STREAM: API key, no signature)

    mutating func openListenKey(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        ["listenKey": .string(listenKeys.open(account: try call.account(), at: call.now))]
    }

    mutating func keepAliveListenKey(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        ["listenKey": .string(try listenKeys.keepAlive(call.parameters.string("listenKey"), account: try call.account(), at: call.now))]
    }

    mutating func closeListenKey(_ call: DeskCall) throws(ExchangeError) -> JSONValue {
        try listenKeys.close(call.parameters.string("listenKey"), account: try call.account(), at: call.now)
        return BinanceJSON.empty
    }
}
