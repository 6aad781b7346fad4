import Foundation
import QuantumCore
import QuantumExchange
import QuantumSim
import Testing

/// Orders, their queries and every order error code, through real HTTP.
@Suite("Exchange server: orders", .timeLimit(.minutes(3)))
struct ExchangeServerOrderTests {
    static func limit(_ side: String, _ quantity: String, _ price: String, symbol: String = "BTCUSDT", extra: [(String, String)] = []) -> [(String, String)] {
        [("symbol", symbol), ("side", side), ("type", "LIMIT"), ("timeInForce", "GTC"), ("quantity", quantity), ("price", price)] + extra
    }

    static func market(_ side: String, _ quantity: String, symbol: String = "BTCUSDT", extra: [(String, String)] = []) -> [(String, String)] {
        [("symbol", symbol), ("side", side), ("type", "MARKET"), ("quantity", quantity), ("newOrderRespType", "RESULT")] + extra
    }

    @Test("a limit order's life: NEW, queried, listed, filled when the price trades through, in allOrders and userTrades")
    func limitLifecycle() async throws {
        let f = try await ExchangeServerFixture.start()
        let placed = try await f.send(.POST, "/fapi/v1/order", Self.limit("BUY", "0.010", "99000", extra: [("newClientOrderId", "qt-limit-1")]))
        #expect(placed.status == 200, "\(placed.text)")
        #expect(placed.string("status") == "NEW" && placed.string("clientOrderId") == "qt-limit-1")
        let id = try #require(placed.object["orderId"] as? Int64)
        let queried = try await f.send(.GET, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "qt-limit-1")])
        #expect(queried.object["orderId"] as? Int64 == id)
        let open = try await f.send(.GET, "/fapi/v1/openOrders", [("symbol", "BTCUSDT")])
        #expect(open.array.count == 1)
        let openOne = try await f.send(.GET, "/fapi/v1/openOrder", [("symbol", "BTCUSDT"), ("orderId", String(id))])
        #expect(openOne.status == 200)
        f.clock.advance(by: .seconds(1))
        try await f.tick(ExchangeServerFixture.btc, "98900")
        let filled = try await f.send(.GET, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(id))])
        #expect(filled.string("status") == "FILLED" && filled.string("executedQty") == "0.01" && filled.string("avgPrice") == "99000")
        let closed = try await f.send(.GET, "/fapi/v1/openOrder", [("symbol", "BTCUSDT"), ("orderId", String(id))])
        #expect(closed.code == -2013)
        let all = try await f.send(.GET, "/fapi/v1/allOrders", [("symbol", "BTCUSDT")])
        #expect(all.array.map { $0["orderId"] as? Int64 } == [id])
        let trades = try await f.send(.GET, "/fapi/v1/userTrades", [("symbol", "BTCUSDT")])
        let trade = try #require(trades.array.first)
        #expect(trade["orderId"] as? Int64 == id && trade["maker"] as? Bool == true && trade["price"] as? String == "99000")
        // Maker fee 0.02 % of 990 USDT.
        #expect(trade["commission"] as? String == "0.198")
        await f.stop()
    }

    @Test("MARKET with RESULT fills at the ask; ACK answers NEW; cancel; cancel-all; -2011 and -2013")
    func marketAndCancel() async throws {
        let f = try await ExchangeServerFixture.start()
        let result = try await f.send(.POST, "/fapi/v1/order", Self.market("BUY", "0.010"))
        #expect(result.string("status") == "FILLED" && result.string("avgPrice") == "100000.1")
        let ack = try await f.send(.POST, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET"), ("quantity", "0.001")])
        #expect(ack.string("status") == "NEW" && ack.string("executedQty") == "0")
        let ackID = try #require(ack.object["orderId"] as? Int64)
        let really = try await f.send(.GET, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(ackID))])
        #expect(really.string("status") == "FILLED")
        let resting = try await f.send(.POST, "/fapi/v1/order", Self.limit("BUY", "0.002", "90000"))
        let restingID = try #require(resting.object["orderId"] as? Int64)
        let canceled = try await f.send(.DELETE, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(restingID))])
        #expect(canceled.string("status") == "CANCELED")
        let again = try await f.send(.DELETE, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(restingID))])
        #expect(again.status == 400 && again.code == -2011)
        let unknown = try await f.send(.GET, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", "42")])
        #expect(unknown.status == 400 && unknown.code == -2013)
        _ = try await f.send(.POST, "/fapi/v1/order", Self.limit("BUY", "0.002", "90000"))
        _ = try await f.send(.POST, "/fapi/v1/order", Self.limit("BUY", "0.002", "91000"))
        let all = try await f.send(.DELETE, "/fapi/v1/allOpenOrders", [("symbol", "BTCUSDT")])
        #expect(all.object["code"] as? Int == 200)
        #expect(try await f.send(.GET, "/fapi/v1/openOrders").array.isEmpty)
        let test = try await f.send(.POST, "/fapi/v1/order/test", Self.limit("BUY", "0.002", "90000"))
        #expect(test.status == 200)
        #expect(try await f.send(.GET, "/fapi/v1/openOrders").array.isEmpty)
        await f.stop()
    }

    @Test("every order error code of the issue, with Binance's HTTP status")
    func errorCodes() async throws {
        let f = try await ExchangeServerFixture.start()
        _ = try await f.send(.POST, "/fapi/v1/order", Self.limit("BUY", "0.002", "90000", extra: [("newClientOrderId", "dup-1")]))
        let cases: [(String, [(String, String)], Int)] = [
            ("precision", Self.limit("BUY", "0.0001", "90000"), -1111),
            ("price precision", Self.limit("BUY", "0.002", "90000.001"), -1111),
            ("quantity zero", Self.limit("BUY", "0", "90000"), -4003),
            ("tick", Self.limit("BUY", "0.002", "90000.05"), -4014),
            ("min notional", Self.limit("BUY", "0.005", "2900", symbol: "ETHUSDT"), -4164),
            ("margin", Self.market("BUY", "3"), -2019),
            ("reduce only", Self.market("SELL", "0.001", extra: [("reduceOnly", "true")]), -2022),
            ("position side", Self.market("BUY", "0.001", extra: [("positionSide", "LONG")]), -4061),
            ("duplicate client id", Self.limit("BUY", "0.002", "90000", extra: [("newClientOrderId", "dup-1")]), -4116),
            ("bad client id", Self.limit("BUY", "0.002", "90000", extra: [("newClientOrderId", "bad id!")]), -4015),
            ("conditional on order endpoint", [("symbol", "BTCUSDT"), ("side", "SELL"), ("type", "STOP_MARKET"), ("stopPrice", "90000"),
                                               ("closePosition", "true")], -4120),
            ("order type", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "FOO"), ("quantity", "0.001")], -1116),
            ("side", [("symbol", "BTCUSDT"), ("side", "UP"), ("type", "MARKET"), ("quantity", "0.001")], -1117),
            ("time in force", Self.limit("BUY", "0.002", "90000").map { $0.0 == "timeInForce" ? ($0.0, "XYZ") : $0 }, -1115),
            ("missing quantity", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "MARKET")], -1102),
            ("response type", Self.market("BUY", "0.001").map { $0.0 == "newOrderRespType" ? ($0.0, "FULL") : $0 }, -1136),
            ("not a number", Self.limit("BUY", "abc", "90000"), -1100),
            ("unknown symbol", Self.market("BUY", "1", symbol: "DOGEUSDT"), -1121),
            ("FOK", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "FOK"), ("quantity", "0.002"),
                     ("price", "90000")], -5021),
            ("GTX", [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("timeInForce", "GTX"), ("quantity", "0.002"),
                     ("price", "100001")], -5022),
        ]
        for (name, parameters, code) in cases {
            let reply = try await f.send(.POST, "/fapi/v1/order", parameters)
            #expect(reply.code == code, "\(name): \(reply.text)")
            #expect(reply.status == 400, "\(name)")
        }
        let duplicate = try await f.raw(.GET, "/fapi/v1/ping", query: "a=1&a=2")
        #expect(duplicate.code == -1101)
        // -2027: at 125× BTCUSDT allows 50 000 USDT of position.
        let leverage = try await f.send(.POST, "/fapi/v1/leverage", [("symbol", "BTCUSDT"), ("leverage", "125")])
        #expect(leverage.object["maxNotionalValue"] as? String == "50000")
        let tooBig = try await f.send(.POST, "/fapi/v1/order", Self.market("BUY", "0.6"))
        #expect(tooBig.code == -2027)
        await f.stop()
    }
}
