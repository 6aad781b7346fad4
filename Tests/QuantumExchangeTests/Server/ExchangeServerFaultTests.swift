import AsyncHTTPClient
import Foundation
import QuantumCore
import QuantumExchange
import QuantumSim
import Testing

/// Fault injection through the loopback admin endpoint and the Swift API.
@Suite("Exchange server: fault injection", .timeLimit(.minutes(3)))
struct ExchangeServerFaultTests {
    @Test("dropped response: the order exists, the client sees no reply")
    func droppedResponse() async throws {
        let f = try await ExchangeServerFixture.start()
        let set = try await f.send(.POST, "/admin/faults", [("droppedResponses", "1")], signed: false, apiKey: nil)
        #expect(set.object["droppedResponses"] as? Int == 1)
        await #expect(throws: (any Error).self) {
            _ = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.001", extra: [("newClientOrderId", "lost-reply")]))
        }
        let found = try await f.send(.GET, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "lost-reply")])
        #expect(found.string("status") == "FILLED")
        // Only one reply was dropped.
        #expect(try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.001")).status == 200)
        await f.stop()
    }

    @Test("5xx: not executed; 429 storm: -1003, not executed; latency delays the reply")
    func errorsAndLatency() async throws {
        let f = try await ExchangeServerFixture.start()
        await f.host.updateFaults { $0.serverErrors = 1; $0.serverErrorStatus = 502 }
        let failed = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.001", extra: [("newClientOrderId", "five-xx")]))
        #expect(failed.status == 502)
        #expect(try await f.send(.GET, "/fapi/v1/order", [("symbol", "BTCUSDT"), ("origClientOrderId", "five-xx")]).code == -2013)
        _ = try await f.send(.POST, "/admin/faults", [("rateLimitStorm", "2")], signed: false, apiKey: nil)
        let storm = [try await f.send(.GET, "/fapi/v1/ping", signed: false), try await f.send(.GET, "/fapi/v1/ping", signed: false)]
        #expect(storm.allSatisfy { $0.status == 429 && $0.code == -1003 })
        #expect(try await f.send(.GET, "/fapi/v1/ping", signed: false).status == 200)
        _ = try await f.send(.POST, "/admin/faults", [("latencyMs", "300")], signed: false, apiKey: nil)
        let started = ContinuousClock.now
        _ = try await f.send(.GET, "/fapi/v1/ping", signed: false)
        #expect(ContinuousClock.now - started >= .milliseconds(300))
        _ = try await f.send(.POST, "/admin/faults/clear", signed: false, apiKey: nil)
        #expect(await f.host.faults.isClear)
        await f.stop()
    }

    @Test("MARKET replies NEW (testnet); dropped user events; stream disconnect")
    func streamsAndReplies() async throws {
        let f = try await ExchangeServerFixture.start()
        await f.host.updateFaults { $0.marketRepliesNew = true; $0.droppedUserEvents = 1 }
        let key = try #require(try await f.send(.POST, "/fapi/v1/listenKey", signed: false).string("listenKey"))
        let client = try await StreamTestClient(url: "ws://127.0.0.1:\(f.port)/ws/\(key)")
        let reply = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.001"))
        #expect(reply.string("status") == "NEW" && reply.string("executedQty") == "0")
        // The NEW update was dropped: the first event the client sees is the TRADE.
        let first = StreamTestClient.object(try await client.next { $0.contains("ORDER_TRADE_UPDATE") })
        #expect((first["o"] as? [String: Any])?["x"] as? String == "TRADE")
        let closed = try await f.send(.POST, "/admin/streams/disconnect", signed: false, apiKey: nil)
        #expect(closed.object["disconnected"] as? Int == 1)
        #expect(await client.closed())
        await f.stop()
    }

    @Test("reset wipes positions; a manual position change shows in positionRisk and on the stream")
    func resetAndManualChange() async throws {
        let f = try await ExchangeServerFixture.start()
        _ = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.010"))
        #expect(try await f.send(.GET, "/fapi/v3/positionRisk").array.count == 1)
        _ = try await f.send(.POST, "/admin/reset", [("balance", "5000")], signed: false, apiKey: nil)
        #expect(try await f.send(.GET, "/fapi/v3/positionRisk").array.isEmpty)
        #expect(try await f.send(.GET, "/fapi/v3/balance").array.first?["balance"] as? String == "5000")
        let key = try #require(try await f.send(.POST, "/fapi/v1/listenKey", signed: false).string("listenKey"))
        let client = try await StreamTestClient(url: "ws://127.0.0.1:\(f.port)/ws/\(key)")
        let changed = try await f.send(.POST, "/admin/position", [("apiKey", ExchangeServerFixture.credential.apiKey), ("symbol", "BTCUSDT"),
                                                                  ("quantity", "-0.005"), ("entryPrice", "101000")], signed: false, apiKey: nil)
        #expect(changed.status == 200, "\(changed.text)")
        let risk = try await f.send(.GET, "/fapi/v3/positionRisk")
        #expect(risk.array.first?["positionAmt"] as? String == "-0.005")
        let update = StreamTestClient.object(try await client.next { $0.contains("ACCOUNT_UPDATE") })
        #expect((update["a"] as? [String: Any])?["m"] as? String == "ADMIN_ADJUSTMENT")
        let bad = try await f.send(.POST, "/admin/position", [("symbol", "BTCUSDT")], signed: false, apiKey: nil)
        #expect(bad.status == 400 && bad.code == -1102)
        #expect(try await f.send(.GET, "/admin/nothing", signed: false, apiKey: nil).status == 404)
        client.close()
        await f.stop()
    }

    @Test("partial fills: a MARKET order in two trades; liquidation by the admin endpoint; bad fault values refused")
    func partialFillsAndLiquidation() async throws {
        let f = try await ExchangeServerFixture.start()
        _ = try await f.send(.POST, "/admin/faults", [("partialFills", "1")], signed: false, apiKey: nil)
        let reply = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.010", extra: [("newClientOrderId", "split")]))
        #expect(reply.string("status") == "FILLED" && reply.string("executedQty").flatMap(Quantity.init) == Quantity("0.01"))
        let trades = try await f.send(.GET, "/fapi/v1/userTrades", [("symbol", "BTCUSDT")]).array
        #expect(trades.map { $0["qty"] as? String } == ["0.005", "0.005"])
        #expect(Set(trades.compactMap { $0["id"] as? Int }).count == 2)
        let liquidated = try await f.send(.POST, "/admin/liquidate", [("apiKey", ExchangeServerFixture.credential.apiKey), ("symbol", "BTCUSDT")],
                                          signed: false, apiKey: nil)
        #expect(liquidated.object["liquidated"] as? Bool == true)
        #expect(try await f.send(.GET, "/fapi/v3/positionRisk").array.isEmpty)
        let orders = try await f.send(.GET, "/fapi/v1/allOrders", [("symbol", "BTCUSDT")]).array
        #expect(orders.contains { ($0["clientOrderId"] as? String)?.hasPrefix("autoclose-") == true && $0["status"] as? String == "FILLED" })
        let again = try await f.send(.POST, "/admin/liquidate", [("apiKey", ExchangeServerFixture.credential.apiKey), ("symbol", "BTCUSDT")],
                                     signed: false, apiKey: nil)
        #expect(again.object["liquidated"] as? Bool == false)
        #expect(try await f.send(.POST, "/admin/faults", [("userEventDelayMs", "-1")], signed: false, apiKey: nil).status == 400)
        await f.stop()
    }

    @Test("delayed user events go out later, after the events that overtook them")
    func delayedUserEvents() async throws {
        let f = try await ExchangeServerFixture.start()
        _ = try await f.send(.POST, "/admin/faults", [("delayedUserEvents", "1"), ("userEventDelayMs", "0")], signed: false, apiKey: nil)
        let key = try #require(try await f.send(.POST, "/fapi/v1/listenKey", signed: false).string("listenKey"))
        let client = try await StreamTestClient(url: "ws://127.0.0.1:\(f.port)/ws/\(key)")
        _ = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.market("BUY", "0.001"))
        // The NEW update is held: the TRADE overtakes it; the next request releases it.
        let first = StreamTestClient.object(try await client.next { $0.contains("ORDER_TRADE_UPDATE") })
        #expect((first["o"] as? [String: Any])?["x"] as? String == "TRADE")
        _ = try await f.send(.GET, "/fapi/v3/positionRisk")
        let second = StreamTestClient.object(try await client.next { $0.contains("ORDER_TRADE_UPDATE") })
        #expect((second["o"] as? [String: Any])?["x"] as? String == "NEW")
        await f.stop()
    }
}
