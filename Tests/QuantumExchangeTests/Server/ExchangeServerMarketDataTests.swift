import Foundation
import QuantumCore
import QuantumExchange
import QuantumSim
import Testing

/// The public endpoints through real HTTP.
@Suite("Exchange server: market data", .timeLimit(.minutes(3)))
struct ExchangeServerMarketDataTests {
    @Test("ping, time, exchangeInfo (parses back into the served rules), weight header")
    func basics() async throws {
        let f = try await ExchangeServerFixture.start()
        defer { Task { await f.stop() } }
        let ping = try await f.send(.GET, "/fapi/v1/ping", signed: false)
        #expect(ping.status == 200 && ping.text == "{}")
        #expect(ping.headers["X-MBX-USED-WEIGHT-1M"].first == "1")
        let time = try await f.send(.GET, "/fapi/v1/time", signed: false)
        #expect(time.object["serverTime"] as? Int64 == f.clock.now().rawValue)
        let info = try await f.send(.GET, "/fapi/v1/exchangeInfo", signed: false)
        let rules = try ExchangeInfo.parse(Data(info.text.utf8))
        #expect(rules[ExchangeServerFixture.btc] == SymbolCatalog.rules[ExchangeServerFixture.btc])
        #expect(rules.count == 2)
        #expect(info.headers["X-MBX-USED-WEIGHT-1M"].first == "3")  // ping 1 + time 1 + exchangeInfo 1
        await f.stop()
    }

    @Test("klines: bars from ticks, 12 columns, startTime/limit, merged intervals; -1120 bad interval")
    func klines() async throws {
        let f = try await ExchangeServerFixture.start(at: EpochMillis(1_750_000_220_000))  // 20 s into a 5-minute bar
        for (seconds, price) in [(30, "100100"), (70, "100200"), (130, "99900"), (190, "100050")] {
            f.clock.advance(by: .seconds(seconds == 30 ? 30 : 60))
            try await f.tick(ExchangeServerFixture.btc, price)
        }
        let bars = try await f.send(.GET, "/fapi/v1/klines", [("symbol", "BTCUSDT"), ("interval", "1m")], signed: false)
        let rows = try #require(bars.body as? [[Any]])
        #expect(rows.count == 4)
        #expect(rows.allSatisfy { $0.count == 12 })
        #expect(rows[0][1] as? String == "100000" && rows[0][2] as? String == "100100")
        #expect((rows[1][0] as? Int64).map { $0 % 60_000 } == 0)
        let limited = try await f.send(.GET, "/fapi/v1/klines", [("symbol", "BTCUSDT"), ("interval", "1m"), ("limit", "2")], signed: false)
        #expect((limited.body as? [[Any]])?.count == 2)
        #expect((limited.body as? [[Any]])?.last?[4] as? String == "100050")
        let five = try await f.send(.GET, "/fapi/v1/klines", [("symbol", "BTCUSDT"), ("interval", "5m")], signed: false)
        let merged = try #require(five.body as? [[Any]])
        #expect(merged.count == 1)
        #expect(merged[0][2] as? String == "100200" && merged[0][3] as? String == "99900")
        let bad = try await f.send(.GET, "/fapi/v1/klines", [("symbol", "BTCUSDT"), ("interval", "1s")], signed: false)
        #expect(bad.status == 400 && bad.code == -1120)
        let unknown = try await f.send(.GET, "/fapi/v1/klines", [("symbol", "DOGEUSDT"), ("interval", "1m")], signed: false)
        #expect(unknown.status == 400 && unknown.code == -1121)
        await f.stop()
    }

    @Test("ticker/price v1 and v2, bookTicker, premiumIndex, depth; -1130 bad depth limit")
    func tickers() async throws {
        let f = try await ExchangeServerFixture.start()
        try await f.tick(ExchangeServerFixture.btc, "100500", mark: "100490")
        for path in ["/fapi/v1/ticker/price", "/fapi/v2/ticker/price"] {
            let one = try await f.send(.GET, path, [("symbol", "BTCUSDT")], signed: false)
            #expect(one.string("price") == "100500")
            let all = try await f.send(.GET, path, signed: false)
            #expect(all.array.count == 2)
            #expect(all.headers["X-MBX-USED-WEIGHT-1M"].first != nil)
        }
        let book = try await f.send(.GET, "/fapi/v1/ticker/bookTicker", [("symbol", "BTCUSDT")], signed: false)
        #expect(book.string("bidPrice") == "100499.9" && book.string("askPrice") == "100500.1")
        let premium = try await f.send(.GET, "/fapi/v1/premiumIndex", [("symbol", "BTCUSDT")], signed: false)
        #expect(premium.string("markPrice") == "100490")
        #expect(premium.string("lastFundingRate") == "0.00010000")
        #expect((premium.object["nextFundingTime"] as? Int64).map { $0 % 28_800_000 } == 0)
        let depth = try await f.send(.GET, "/fapi/v1/depth", [("symbol", "BTCUSDT"), ("limit", "10")], signed: false)
        let bids = try #require(depth.object["bids"] as? [[String]])
        let asks = try #require(depth.object["asks"] as? [[String]])
        #expect(bids.count == 10 && asks.count == 10)
        #expect(bids[0][0] == "100499.9" && asks[0][0] == "100500.1")
        #expect(Double(bids[1][0])! < Double(bids[0][0])! && Double(asks[1][0])! > Double(asks[0][0])!)
        let badLimit = try await f.send(.GET, "/fapi/v1/depth", [("symbol", "BTCUSDT"), ("limit", "7")], signed: false)
        #expect(badLimit.status == 400 && badLimit.code == -1130)
        let missing = try await f.send(.GET, "/fapi/v1/depth", signed: false)
        #expect(missing.status == 400 && missing.code == -1102)
        let notFound = try await f.send(.GET, "/fapi/v1/nothing", signed: false)
        #expect(notFound.status == 404)
        await f.stop()
    }

    @Test("ticker/24hr: the rolling day from the bars, one symbol or all, as Binance shapes it (ccxt's fetch_ticker)")
    func ticker24h() async throws {
        let f = try await ExchangeServerFixture.start(at: EpochMillis(1_750_000_200_000))
        for (seconds, price) in [(30, "100100"), (60, "100400"), (60, "99800"), (60, "100200")] {
            f.clock.advance(by: .seconds(seconds))
            try await f.tick(ExchangeServerFixture.btc, price)
        }
        let one = try await f.send(.GET, "/fapi/v1/ticker/24hr", [("symbol", "BTCUSDT")], signed: false)
        #expect(one.status == 200)
        #expect(one.string("symbol") == "BTCUSDT" && one.string("lastPrice") == "100200")
        #expect(one.string("openPrice") == "100000" && one.string("highPrice") == "100400" && one.string("lowPrice") == "99800")
        #expect(one.string("priceChange") == "200" && one.string("priceChangePercent") == "0.200")
        for key in ["weightedAvgPrice", "lastQty", "volume", "quoteVolume"] { #expect(one.object[key] is String, "\(key)") }
        for key in ["openTime", "closeTime", "firstId", "lastId", "count"] { #expect(one.object[key] is Int64, "\(key)") }
        #expect(one.object["closeTime"] as? Int64 == f.clock.now().rawValue)
        let all = try await f.send(.GET, "/fapi/v1/ticker/24hr", signed: false)
        #expect(all.array.count == 2)
        #expect(all.headers["X-MBX-USED-WEIGHT-1M"].first == "41")  // 1 with a symbol, 40 without
        let unknown = try await f.send(.GET, "/fapi/v1/ticker/24hr", [("symbol", "DOGEUSDT")], signed: false)
        #expect(unknown.status == 400 && unknown.code == -1121)
        await f.stop()
    }
}
