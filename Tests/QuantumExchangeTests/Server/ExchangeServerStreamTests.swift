import Foundation
import QuantumCore
import QuantumExchange
import QuantumSim
import Testing

/// WebSocket market and user streams, every URL layout, SUBSCRIBE/UNSUBSCRIBE, over real sockets.
@Suite("Exchange server: WebSocket streams", .timeLimit(.minutes(3)))
struct ExchangeServerStreamTests {
    @Test("every URL layout of reference §7.1 serves its streams, raw or combined", arguments: [
        ("/ws/btcusdt@aggTrade", false),
        ("/market/ws/btcusdt@aggTrade", false),
        ("/public/ws/btcusdt@aggTrade", false),
        ("/stream?streams=btcusdt@aggTrade/ethusdt@aggTrade", true),
        ("/market/stream?streams=btcusdt@aggTrade", true),
        ("/ws/btcusdt@aggTrade?timeUnit=MICROSECOND", false),
    ])
    func layouts(path: String, combined: Bool) async throws {
        let f = try await ExchangeServerFixture.start()
        let client = try await StreamTestClient(url: "ws://127.0.0.1:\(f.port)\(path)")
        try await f.tick(ExchangeServerFixture.btc, "100123.4")
        let frame = StreamTestClient.object(try await client.next { $0.contains("aggTrade") })
        let payload = combined ? try #require(frame["data"] as? [String: Any]) : frame
        if combined { #expect(frame["stream"] as? String == "btcusdt@aggTrade") }
        #expect(payload["e"] as? String == "aggTrade" && payload["p"] as? String == "100123.4" && payload["s"] as? String == "BTCUSDT")
        client.close()
        await f.stop()
    }

    @Test("SUBSCRIBE, LIST_SUBSCRIPTIONS, UNSUBSCRIBE, SET/GET_PROPERTY, errors; kline, markPrice and bookTicker payloads")
    func subscriptions() async throws {
        let f = try await ExchangeServerFixture.start(at: EpochMillis(1_750_000_200_000))
        let client = try await StreamTestClient(url: "ws://127.0.0.1:\(f.port)/ws")
        client.send(#"{"method":"SUBSCRIBE","params":["btcusdt@kline_1m","btcusdt@markPrice@1s","btcusdt@bookTicker"],"id":1}"#)
        #expect(try await client.next { $0.contains("\"id\":1") } == #"{"result":null,"id":1}"#)
        client.send(#"{"method":"LIST_SUBSCRIPTIONS","id":"two"}"#)
        let listed = StreamTestClient.object(try await client.next { $0.contains("\"two\"") })
        #expect((listed["result"] as? [String])?.sorted() == ["btcusdt@bookTicker", "btcusdt@kline_1m", "btcusdt@markPrice@1s"])
        f.clock.advance(by: .seconds(1))
        try await f.tick(ExchangeServerFixture.btc, "100200", mark: "100190")
        // Per tick, in this order: bookTicker, kline, markPrice.
        let book = StreamTestClient.object(try await client.next { $0.contains("bookTicker") })
        #expect(book["b"] as? String == "100199.9" && book["a"] as? String == "100200.1")
        let kline = StreamTestClient.object(try await client.next { $0.contains("\"kline\"") })
        let bar = try #require(kline["k"] as? [String: Any])
        #expect(bar["i"] as? String == "1m" && bar["c"] as? String == "100200" && bar["x"] as? Bool == false)
        let mark = StreamTestClient.object(try await client.next { $0.contains("markPriceUpdate") })
        #expect(mark["p"] as? String == "100190" && mark["r"] as? String == "0.00010000")
        // The next minute closes the bar: x:true with the last close, then the new bar.
        f.clock.advance(by: .seconds(60))
        try await f.tick(ExchangeServerFixture.btc, "100300")
        let closed = StreamTestClient.object(try await client.next { $0.contains("\"x\":true") })
        #expect((closed["k"] as? [String: Any])?["c"] as? String == "100200")
        client.send(#"{"method":"SET_PROPERTY","params":["combined",true],"id":3}"#)
        _ = try await client.next { $0.contains("\"id\":3") }
        client.send(#"{"method":"GET_PROPERTY","params":["combined"],"id":4}"#)
        #expect(try await client.next { $0.contains("\"id\":4") } == #"{"result":true,"id":4}"#)
        client.send(#"{"method":"UNSUBSCRIBE","params":["btcusdt@kline_1m","btcusdt@markPrice@1s"],"id":5}"#)
        _ = try await client.next { $0.contains("\"id\":5") }
        client.send(#"{"method":"SUBSCRIBE","params":["btcusdt@nonsense"],"id":6}"#)
        #expect(StreamTestClient.object(try await client.next { $0.contains("\"id\":6") })["code"] as? Int == 2)
        client.send("not json")
        #expect(StreamTestClient.object(try await client.next { $0.contains("\"code\":3") })["code"] as? Int == 3)
        // Combined now, and only bookTicker left.
        try await f.tick(ExchangeServerFixture.btc, "100400")
        let wrapped = StreamTestClient.object(try await client.next { $0.contains("\"stream\"") })
        #expect(wrapped["stream"] as? String == "btcusdt@bookTicker")
        client.close()
        await f.stop()
    }

    @Test("user stream on every layout: ORDER_TRADE_UPDATE, ACCOUNT_UPDATE and ALGO_UPDATE across an order's life", arguments: [
        "/ws/{key}", "/private/ws?listenKey={key}", "/private/stream?listenKey={key}", "/ws", "/stream",
    ])
    func userStream(layout: String) async throws {
        let f = try await ExchangeServerFixture.start()
        let key = try #require(try await f.send(.POST, "/fapi/v1/listenKey", signed: false).string("listenKey"))
        let client = try await StreamTestClient(url: "ws://127.0.0.1:\(f.port)" + layout.replacingOccurrences(of: "{key}", with: key))
        if !layout.contains("{key}") {
            client.send(#"{"method":"SUBSCRIBE","params":["\#(key)"],"id":1}"#)
            _ = try await client.next { $0.contains("\"id\":1") }
        }
        let combined = layout.contains("stream")
        func event(_ name: String) async throws -> [String: Any] {
            let frame = StreamTestClient.object(try await client.next { $0.contains("\"\(name)\"") })
            return combined ? frame["data"] as? [String: Any] ?? [:] : frame
        }
        _ = try await f.send(.POST, "/fapi/v1/order", ExchangeServerOrderTests.limit("BUY", "0.010", "99000", extra: [("newClientOrderId", "life-1")]))
        let new = try await event("ORDER_TRADE_UPDATE")
        #expect((new["o"] as? [String: Any])?["x"] as? String == "NEW" && (new["o"] as? [String: Any])?["c"] as? String == "life-1")
        try await f.tick(ExchangeServerFixture.btc, "98900")
        // Per fill: the order's TRADE update, then the account update with the changed position.
        let trade = try await event("ORDER_TRADE_UPDATE")
        let fill = try #require(trade["o"] as? [String: Any])
        #expect(fill["x"] as? String == "TRADE" && fill["X"] as? String == "FILLED" && fill["L"] as? String == "99000" && fill["m"] as? Bool == true)
        #expect(fill["n"] as? String == "0.198" && fill["N"] as? String == "USDT")
        let account = try await event("ACCOUNT_UPDATE")
        let position = try #require(((account["a"] as? [String: Any])?["P"] as? [[String: Any]])?.first)
        #expect(position["pa"] as? String == "0.01" && position["ep"] as? String == "99000")
        _ = try await f.send(.POST, "/fapi/v1/algoOrder", [("algoType", "CONDITIONAL"), ("symbol", "BTCUSDT"), ("side", "SELL"),
                                                            ("type", "STOP_MARKET"), ("triggerPrice", "98000"), ("closePosition", "true")])
        let algo = try await event("ALGO_UPDATE")
        #expect((algo["o"] as? [String: Any])?["X"] as? String == "NEW")
        try await f.tick(ExchangeServerFixture.btc, "97900")
        let triggered = try await event("ALGO_UPDATE")
        #expect(["TRIGGERED", "FINISHED"].contains((triggered["o"] as? [String: Any])?["X"] as? String ?? ""))
        let closing = try await event("ACCOUNT_UPDATE")
        #expect((((closing["a"] as? [String: Any])?["P"] as? [[String: Any]])?.first)?["pa"] as? String == "0")
        client.close()
        await f.stop()
    }

    @Test("an expired listen key gets listenKeyExpired")
    func listenKeyExpiry() async throws {
        let f = try await ExchangeServerFixture.start()
        let key = try #require(try await f.send(.POST, "/fapi/v1/listenKey", signed: false).string("listenKey"))
        let client = try await StreamTestClient(url: "ws://127.0.0.1:\(f.port)/ws/\(key)")
        f.clock.advance(by: .seconds(3_600))
        await f.host.expireListenKeys()
        let expired = StreamTestClient.object(try await client.next { $0.contains("listenKeyExpired") })
        #expect(expired["listenKey"] as? String == key)
        client.close()
        await f.stop()
    }

    @Test("a path that is not a stream endpoint is not upgraded")
    func refusedPath() async throws {
        let f = try await ExchangeServerFixture.start()
        await #expect(throws: (any Error).self) { _ = try await StreamTestClient(url: "ws://127.0.0.1:\(f.port)/nothing") }
        await f.stop()
    }
}
