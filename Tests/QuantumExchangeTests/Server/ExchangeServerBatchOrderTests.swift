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
