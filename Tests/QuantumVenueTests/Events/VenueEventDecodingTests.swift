import QuantumCore
import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct VenueEventDecodingTests {
    @Test func anOrderTradeUpdateWithAFill() throws {
        let json = try JSONValue(parsing: #"""
        {"e":"ORDER_TRADE_UPDATE","E":1750000000100,"T":1750000000099,"o":{"s":"BTCUSDT","c":"qt-o-1","S":"BUY","o":"MARKET","f":"GTC",
         "q":"0.010","p":"0","ap":"100000","sp":"0","x":"TRADE","X":"FILLED","i":42,"l":"0.010","z":"0.010","L":"100000","N":"USDT",
         "n":"0.5","T":1750000000099,"t":7,"b":"0","a":"0","m":false,"R":false,"wt":"CONTRACT_PRICE","ot":"MARKET","ps":"BOTH",
         "cp":false,"rp":"0","pP":false,"si":0,"ss":0,"V":"EXPIRE_MAKER","pm":"NONE","gtd":0}}
        """#)
        let update = try OrderTradeUpdate(binance: json)
        #expect(update.clientOrderID == "qt-o-1" && update.status == .filled && update.executionType == "TRADE")
        let trade = try #require(update.trade)
        #expect(try trade.tradeID == 7 && trade.orderID == 42 && trade.quote == (try Notional(parsing: "1000")))
        #expect(trade.commission == (try Notional(parsing: "0.5")))
    }

    @Test func aNewOrderHasNoFill() throws {
        let json: JSONValue = ["e": "ORDER_TRADE_UPDATE", "E": 1, "T": 1, "o": [
            "s": "BTCUSDT", "c": "autoclose-1", "S": "SELL", "o": "LIMIT", "q": "1", "x": "NEW", "X": "NEW", "i": 1, "l": "0", "z": "0",
            "L": "0", "t": 0,
        ]]
        let update = try OrderTradeUpdate(binance: json)
        #expect(update.trade == nil && update.clientOrderID == "autoclose-1")
    }

    @Test func aMalformedUpdateNamesItsField() throws {
        let json: JSONValue = ["e": "ORDER_TRADE_UPDATE", "T": 1, "o": ["s": "BTCUSDT", "c": "x", "S": "UP"]]
        let error = #expect(throws: WireDecodingError.self) { try OrderTradeUpdate(binance: json) }
        #expect(error?.field == "o.S")
    }

    @Test func accountAndAlgoUpdates() throws {
        let account = try AccountChange(binance: ["e": "ACCOUNT_UPDATE", "E": 2, "T": 2, "a": [
            "m": "ORDER", "B": [["a": "USDT", "wb": "9999.5", "cw": "9999.5", "bc": "0"]],
            "P": [["s": "BTCUSDT", "pa": "0.010", "ep": "100000", "bep": "100000", "cr": "0", "up": "0", "mt": "cross", "iw": "0", "ps": "BOTH"]],
        ]])
        #expect(try account.reason == "ORDER" && account.walletBalance == (try Notional(parsing: "9999.5")))
        #expect(account.positions.first?.quantity == (try Quantity(parsing: "0.01")))
        let algo = try VenueAlgoOrder(binanceUpdate: ["e": "ALGO_UPDATE", "T": 3, "E": 3, "o": [
            "caid": "qt-s-1", "aid": 5, "at": "CONDITIONAL", "o": "STOP_MARKET", "s": "BTCUSDT", "S": "SELL", "X": "TRIGGERED", "ai": "88",
            "tp": "95000", "cp": true, "q": "0",
        ]])
        #expect(algo.status == .triggered && algo.actualOrderID == 88 && !algo.status.isLive)
    }

    @Test func marketEvents() throws {
        let kline = try MarketEvent(binance: try JSONValue(parsing: #"{"e":"kline","E":5,"s":"BTCUSDT","k":{"t":0,"T":59999,"s":"BTCUSDT","i":"1m","o":"1","c":"2","h":"3","l":"0.5","v":"10","n":3,"x":true,"q":"0"}}"#))
        guard case .kline(let bar) = kline else { Issue.record("not a kline"); return }
        #expect(try bar.isClosed && bar.interval == .oneMinute && bar.high == (try Price(parsing: "3")))
        let mark = try MarketEvent(binance: ["e": "markPriceUpdate", "E": 1, "s": "ETHUSDT", "p": "3000.12345678", "i": "3000", "P": "3000",
                                             "r": "0.00010000", "T": 8])
        #expect(mark?.symbol == Symbol("ETHUSDT"))
        #expect(try MarketEvent(binance: ["e": "forceOrder", "E": 1]) == nil)
        #expect(throws: WireDecodingError.self) { try MarketEvent(binance: ["E": 1]) }
    }

    @Test func subscriptionNamesAndCategories() {
        #expect(MarketSubscription.kline(Symbol("BTCUSDT"), .fifteenMinutes).streamName == "btcusdt@kline_15m")
        #expect(MarketSubscription.markPrice(Symbol("BTCUSDT")).streamName == "btcusdt@markPrice@1s")
        #expect(MarketSubscription.bookTicker(Symbol("BTCUSDT")).isPublicCategory)
        #expect(!MarketSubscription.aggTrade(Symbol("BTCUSDT")).isPublicCategory)
    }

    @Test func klineRows() throws {
        let row = try JSONValue(parsing: #"[1750000000000,"100.0","101.5","99.0","100.5","12.345",1750000059999,"1240.0",42,"6","600","0"]"#)
        let bar = try KlineUpdate(binanceRow: row, symbol: Symbol("BTCUSDT"), interval: .oneMinute, now: EpochMillis(1750000060000))
        #expect(try bar.isClosed && bar.high == (try Price(parsing: "101.5")))
        let forming = try KlineUpdate(binanceRow: row, symbol: Symbol("BTCUSDT"), interval: .oneMinute, now: EpochMillis(1750000030000))
        #expect(!forming.isClosed)
        #expect(throws: WireDecodingError.self) {
            try KlineUpdate(binanceRow: [1, "x"], symbol: Symbol("BTCUSDT"), interval: .oneMinute, now: EpochMillis(0))
        }
    }
}
