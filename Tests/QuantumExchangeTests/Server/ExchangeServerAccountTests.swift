import Foundation
import QuantumCore
import QuantumExchange
import QuantumSim
import Testing

/// Positions, account, balance, configuration, conditional orders and listen keys through real HTTP.
@Suite("Exchange server: account, configuration, algo orders, listen keys", .timeLimit(.minutes(3)))
struct ExchangeServerAccountTests {
    static func decimal(_ value: Any?) throws -> Notional {
        try Notional(approximating: Double(try #require(value as? String)) ?? .nan)
    }

    @Test("positionRisk v2/v3, account v2/v3, balance v2/v3 agree; wallet + unrealized = margin balance; fees and PnL match the fills")
    func accounting() async throws {
        let f = try await ExchangeServerFixture.start()
        _ = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.100"))
        try await f.tick(ExchangeServerFixture.btc, "101000")
        let v2 = try await f.send(.GET, "/fapi/v2/positionRisk")
        #expect(v2.array.count == 2)  // every symbol, the flat one included
        let btc = try #require(v2.array.first { $0["symbol"] as? String == "BTCUSDT" })
        #expect(btc["positionAmt"] as? String == "0.1" && btc["entryPrice"] as? String == "100000.1")
        #expect(btc["unRealizedProfit"] as? String == "99.99" && btc["leverage"] as? String == "20" && btc["marginType"] as? String == "cross")
        let v3 = try await f.send(.GET, "/fapi/v3/positionRisk")
        #expect(v3.array.count == 1 && v3.array[0]["leverage"] == nil && v3.array[0]["positionAmt"] as? String == "0.1")
        let one = try await f.send(.GET, "/fapi/v2/positionRisk", [("symbol", "ETHUSDT")])
        #expect(one.array.count == 1 && one.array[0]["positionAmt"] as? String == "0")
        for path in ["/fapi/v2/account", "/fapi/v3/account"] {
            let account = try await f.send(.GET, path)
            let wallet = try Self.decimal(account.object["totalWalletBalance"])
            let unrealized = try Self.decimal(account.object["totalUnrealizedProfit"])
            let margin = try Self.decimal(account.object["totalMarginBalance"])
            #expect(try wallet + unrealized == margin, "\(path)")
            // 10 000 − taker fee 0.05 % of 10 000.01.
            #expect(account.object["totalWalletBalance"] as? String == "9994.999995", "\(path)")
            let positions = try #require(account.object["positions"] as? [[String: Any]])
            #expect(positions.count == (path.contains("v2") ? 2 : 1))
        }
        for path in ["/fapi/v2/balance", "/fapi/v3/balance"] {
            let balance = try await f.send(.GET, path)
            #expect(balance.array.first?["asset"] as? String == "USDT" && balance.array.first?["balance"] as? String == "9994.999995")
        }
        // Close at 101 000 (bid 100 999.9): realized PnL and fees in userTrades explain the wallet exactly.
        _ = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("SELL", "0.100", extra: [("reduceOnly", "true")]))
        let trades = try await f.send(.GET, "/fapi/v1/userTrades", [("symbol", "BTCUSDT")])
        var wallet = try Notional(parsing: "10000")
        for trade in trades.array {
            wallet = try wallet + (try Notional(parsing: try #require(trade["realizedPnl"] as? String)))
            wallet = try wallet - (try Notional(parsing: try #require(trade["commission"] as? String)))
        }
        let after = try await f.send(.GET, "/fapi/v3/balance")
        #expect(after.array.first?["balance"] as? String == wallet.description)
        #expect(try await f.send(.GET, "/fapi/v3/positionRisk").array.isEmpty)
        await f.stop()
    }

    @Test("leverage, marginType, positionSide/dual, leverageBracket, symbolConfig, commissionRate and their errors")
    func configuration() async throws {
        let f = try await ExchangeServerFixture.start()
        let leverage = try await f.send(.POST, "/fapi/v1/leverage", [("symbol", "BTCUSDT"), ("leverage", "10")])
        #expect(leverage.object["leverage"] as? Int == 10 && leverage.string("symbol") == "BTCUSDT")
        #expect(try await f.send(.POST, "/fapi/v1/leverage", [("symbol", "BTCUSDT"), ("leverage", "126")]).code == -4028)
        let isolated = try await f.send(.POST, "/fapi/v1/marginType", [("symbol", "BTCUSDT"), ("marginType", "ISOLATED")])
        #expect(isolated.object["code"] as? Int == 200)
        #expect(try await f.send(.POST, "/fapi/v1/marginType", [("symbol", "BTCUSDT"), ("marginType", "ISOLATED")]).code == -4046)
        #expect(try await f.send(.GET, "/fapi/v1/positionSide/dual").object["dualSidePosition"] as? Bool == false)
        #expect(try await f.send(.POST, "/fapi/v1/positionSide/dual", [("dualSidePosition", "false")]).code == -4059)
        #expect(try await f.send(.POST, "/fapi/v1/positionSide/dual", [("dualSidePosition", "true")]).object["code"] as? Int == 200)
        #expect(try await f.send(.GET, "/fapi/v1/positionSide/dual").object["dualSidePosition"] as? Bool == true)
        // Hedge mode: positionSide is required, reduceOnly is refused.
        #expect(try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.001")).code == -4061)
        let hedged = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.001", extra: [("positionSide", "LONG")]))
        #expect(hedged.string("status") == "FILLED")
        #expect(try await f.send(.POST, "/fapi/v1/positionSide/dual", [("dualSidePosition", "false")]).code == -4068)
        let brackets = try await f.send(.GET, "/fapi/v1/leverageBracket", [("symbol", "BTCUSDT")])
        let tiers = try #require(brackets.array.first?["brackets"] as? [[String: Any]])
        #expect(tiers.first?["initialLeverage"] as? Int == 125 && tiers.first?["notionalCap"] as? Int == 50_000)
        #expect(try await f.send(.GET, "/fapi/v1/leverageBracket").array.count == 2)
        let config = try await f.send(.GET, "/fapi/v1/symbolConfig", [("symbol", "BTCUSDT")])
        #expect(config.array.first?["leverage"] as? Int == 10 && config.array.first?["marginType"] as? String == "ISOLATED")
        let fees = try await f.send(.GET, "/fapi/v1/commissionRate", [("symbol", "BTCUSDT")])
        #expect(fees.string("makerCommissionRate") == "0.0002" && fees.string("takerCommissionRate") == "0.0005")
        await f.stop()
    }

    @Test("algo orders: place, query, list, cancel; closePosition stop fires on the mark price; -2021, -4137, -4138, -2011")
    func algoOrders() async throws {
        let f = try await ExchangeServerFixture.start()
        _ = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.010"))
        let stop: [(String, String)] = [("algoType", "CONDITIONAL"), ("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "STOP_MARKET"),
                                         ("triggerPrice", "98000"), ("closePosition", "true"), ("workingType", "MARK_PRICE"),
                                         ("clientAlgoId", "qt-stop-1")]
        let placed = try await f.send(.POST, "/fapi/v1/algoOrder", stop)
        #expect(placed.string("algoStatus") == "NEW" && placed.string("clientAlgoId") == "qt-stop-1", "\(placed.text)")
        let id = try #require(placed.object["algoId"] as? Int64)
        #expect(try await f.send(.GET, "/fapi/v1/algoOrder", [("algoId", String(id))]).string("orderType") == "STOP_MARKET")
        #expect(try await f.send(.GET, "/fapi/v1/openAlgoOrders").array.count == 1)
        let immediate = try await f.send(.POST, "/fapi/v1/algoOrder", stop.map { $0.0 == "triggerPrice" ? ($0.0, "101000") : ($0.0 == "clientAlgoId" ? ($0.0, "x2") : $0) })
        #expect(immediate.code == -2021)
        let withQuantity = try await f.send(.POST, "/fapi/v1/algoOrder", stop.map { $0.0 == "clientAlgoId" ? ("quantity", "0.01") : $0 })
        #expect(withQuantity.code == -4137)
        let notReduce = try await f.send(.POST, "/fapi/v1/algoOrder", stop.map { $0.0 == "clientAlgoId" ? ("reduceOnly", "false") : $0 })
        #expect(notReduce.code == -4138)
        // The last price crossing the trigger does not fire a MARK_PRICE stop; the mark does.
        try await f.tick(ExchangeServerFixture.btc, "97900", mark: "98500")
        #expect(try await f.send(.GET, "/fapi/v1/algoOrder", [("algoId", String(id))]).string("algoStatus") == "NEW")
        try await f.tick(ExchangeServerFixture.btc, "97900", mark: "97950")
        let fired = try await f.send(.GET, "/fapi/v1/algoOrder", [("algoId", String(id))])
        #expect(fired.string("algoStatus") == "FINISHED" || fired.string("algoStatus") == "TRIGGERED")
        #expect(try await f.send(.GET, "/fapi/v3/positionRisk").array.isEmpty)
        let second = try await f.send(.POST, "/fapi/v1/algoOrder", [("algoType", "CONDITIONAL"), ("symbol", "BTCUSDT"), ("side", "BUY"),
                                                                   ("type", "TAKE_PROFIT_MARKET"), ("triggerPrice", "90000"), ("quantity", "0.001")])
        let secondID = try #require(second.object["algoId"] as? Int64)
        #expect(try await f.send(.DELETE, "/fapi/v1/algoOrder", [("algoId", String(secondID))]).string("algoStatus") == "CANCELED")
        #expect(try await f.send(.DELETE, "/fapi/v1/algoOrder", [("algoId", String(secondID))]).code == -2011)
        #expect(try await f.send(.GET, "/fapi/v1/allAlgoOrders", [("symbol", "BTCUSDT")]).array.count == 2)
        await f.stop()
    }

    @Test("listenKey: POST returns the same key while active, PUT extends, DELETE closes; -1125 afterwards")
    func listenKeys() async throws {
        let f = try await ExchangeServerFixture.start()
        let opened = try await f.send(.POST, "/fapi/v1/listenKey", signed: false)
        let key = try #require(opened.string("listenKey"))
        #expect(key.count == 64)
        #expect(try await f.send(.POST, "/fapi/v1/listenKey", signed: false).string("listenKey") == key)
        #expect(try await f.send(.PUT, "/fapi/v1/listenKey", signed: false).string("listenKey") == key)
        #expect(try await f.send(.POST, "/fapi/v1/listenKey", signed: false, apiKey: nil).code == -2014)
        #expect(try await f.send(.DELETE, "/fapi/v1/listenKey", signed: false).text == "{}")
        #expect(try await f.send(.PUT, "/fapi/v1/listenKey", signed: false).code == -1125)
        let fresh = try await f.send(.POST, "/fapi/v1/listenKey", signed: false)
        f.clock.advance(by: .seconds(3_601))
        #expect(try await f.send(.PUT, "/fapi/v1/listenKey", [("listenKey", fresh.string("listenKey") ?? "")], signed: false).code == -1125)
        await f.stop()
    }
}
