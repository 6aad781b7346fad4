import Foundation
import QuantumCore
import QuantumExchange
import Testing

/// `POST` and `DELETE /fapi/v1/batchOrders` through real HTTP, as ccxt's create_orders and python-binance's
/// futures_place_batch_order send them.
@Suite("Exchange server: batch orders", .timeLimit(.minutes(3)))
struct ExchangeServerBatchOrderTests {
    @Test("a batch places each order as POST /order would, and answers a refused one with its code in its place")
    func batchPlacement() async throws {
        let f = try await ExchangeServerFixture.start()
        let batch = """
            [{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"99000","newClientOrderId":"qt-b-1"},
             {"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"99000.05"},
             {"symbol":"BTCUSDT","side":"SELL","type":"MARKET","quantity":0.002,"newOrderRespType":"RESULT"}]
            """
        let reply = try await f.send(.POST, "/fapi/v1/batchOrders", [("batchOrders", batch)])
        #expect(reply.status == 200, "\(reply.text)")
        let items = reply.array
        #expect(items.count == 3)
        #expect(items[0]["clientOrderId"] as? String == "qt-b-1" && items[0]["status"] as? String == "NEW")
        #expect(items[1]["code"] as? Int == -4014)  // price not a multiple of the tick
        #expect(items[2]["status"] as? String == "FILLED" && items[2]["executedQty"] as? String == "0.002")
        let open = try await f.send(.GET, "/fapi/v1/openOrders", [("symbol", "BTCUSDT")])
        #expect(open.array.count == 1)
        #expect(reply.headers["X-MBX-ORDER-COUNT-10S"].first != nil)
    }

    @Test("a malformed, empty or oversized batch is -1130, a missing one -1102; nothing is placed")
    func badBatches() async throws {
        let f = try await ExchangeServerFixture.start()
        let one = #"{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"99000"}"#
        for text in ["[", "[]", "{}", "[1]", "[{\"a\":[1]}]", "[" + Array(repeating: one, count: 6).joined(separator: ",") + "]"] {
            let reply = try await f.send(.POST, "/fapi/v1/batchOrders", [("batchOrders", text)])
            #expect(reply.status == 400 && reply.code == -1130, "\(text.prefix(30)): \(reply.text)")
        }
        let missing = try await f.send(.POST, "/fapi/v1/batchOrders", [])
        #expect(missing.code == -1102)
        #expect(try await f.send(.GET, "/fapi/v1/openOrders", [("symbol", "BTCUSDT")]).array.isEmpty)
    }

    @Test("a batch cancel by order ids or client ids answers each, an unknown one with -2011")
    func batchCancel() async throws {
        let f = try await ExchangeServerFixture.start()
        var ids: [Int64] = []
        for (index, price) in ["98000", "97000"].enumerated() {
            let placed = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.limit("BUY", "0.010", price, extra: [("newClientOrderId", "qt-c-\(index)")]))
            ids.append(try #require(placed.object["orderId"] as? Int64))
        }
        let byID = try await f.send(.DELETE, "/fapi/v1/batchOrders", [("symbol", "BTCUSDT"), ("orderIdList", "[\(ids[0]), 424242]")])
        #expect(byID.status == 200, "\(byID.text)")
        #expect(byID.array.count == 2)
        #expect(byID.array[0]["status"] as? String == "CANCELED" && byID.array[1]["code"] as? Int == -2011)
        let byClient = try await f.send(.DELETE, "/fapi/v1/batchOrders", [("symbol", "BTCUSDT"), ("origClientOrderIdList", "[\"qt-c-1\"]")])
        #expect(byClient.array.first?["status"] as? String == "CANCELED")
        let neither = try await f.send(.DELETE, "/fapi/v1/batchOrders", [("symbol", "BTCUSDT")])
        #expect(neither.code == -1102)
        #expect(try await f.send(.GET, "/fapi/v1/openOrders", [("symbol", "BTCUSDT")]).array.isEmpty)
    }
}

/// `PUT /fapi/v1/order`: modifying a resting limit order's price and quantity, as ccxt's edit_order sends it.
@Suite("Exchange server: order modification", .timeLimit(.minutes(3)))
struct ExchangeServerModifyOrderTests {
    @Test("a resting limit order takes a new price and quantity under the same ids; refusals are Binance's")
    func modify() async throws {
        let f = try await ExchangeServerFixture.start()
        let placed = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.limit("BUY", "0.010", "98000", extra: [("newClientOrderId", "qt-m-1")]))
        let id = try #require(placed.object["orderId"] as? Int64)
        let modified = try await f.send(.PUT, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(id)), ("side", "BUY"),
                                                                   ("quantity", "0.020"), ("price", "98500")])
        #expect(modified.status == 200, "\(modified.text)")
        #expect(modified.object["orderId"] as? Int64 == id && modified.string("clientOrderId") == "qt-m-1")
        #expect(modified.string("price") == "98500" && modified.string("origQty") == "0.02" && modified.string("status") == "NEW")
        let unchanged = try await f.send(.PUT, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "qt-m-1"), ("side", "BUY"),
                                                                    ("quantity", "0.020"), ("price", "98500")])
        #expect(unchanged.code == -5027)
        let wrongSide = try await f.send(.PUT, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(id)), ("side", "SELL"),
                                                                    ("quantity", "0.020"), ("price", "98400")])
        #expect(wrongSide.code == -1117)
        let offTick = try await f.send(.PUT, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(id)), ("side", "BUY"),
                                                                  ("quantity", "0.020"), ("price", "98400.05")])
        #expect(offTick.code == -4014)
        // A new price through the ask fills at once, as a taker.
        let crossing = try await f.send(.PUT, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(id)), ("side", "BUY"),
                                                                   ("quantity", "0.020"), ("price", "101000")])
        #expect(crossing.string("status") == "FILLED", "\(crossing.text)")
        let gone = try await f.send(.PUT, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(id)), ("side", "BUY"),
                                                               ("quantity", "0.030"), ("price", "98000")])
        #expect(gone.code == -2013)
        let market = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("SELL", "0.001"))
        let marketID = try #require(market.object["orderId"] as? Int64)
        let notLimit = try await f.send(.PUT, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("orderId", String(marketID)), ("side", "SELL"),
                                                                   ("quantity", "0.002"), ("price", "99000")])
        #expect(notLimit.code == -2013)  // a filled market order is no longer open
    }
}
