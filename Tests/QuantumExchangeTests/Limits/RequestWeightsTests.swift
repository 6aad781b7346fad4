import QuantumExchange
import Testing

@Suite(.timeLimit(.minutes(3))) struct RequestWeightsTests {
    private static func weight(_ method: RequestMethod, _ path: String, _ values: [String: String] = [:]) -> Int {
        RequestWeights.cost(method: method, path: path, parameters: BinanceParameters(values)).weight
    }

    @Test(arguments: [
        (nil, 10), ("5", 2), ("10", 2), ("20", 2), ("50", 2), ("100", 5), ("500", 10), ("1000", 20), ("junk", 10),
    ] as [(String?, Int)])
    func depthByLimit(limit: String?, expected: Int) {
        #expect(Self.weight(.get, "/fapi/v1/depth", limit.map { ["symbol": "BTCUSDT", "limit": $0] } ?? ["symbol": "BTCUSDT"]) == expected)
    }

    @Test(arguments: [(nil, 5), ("1", 1), ("99", 1), ("100", 2), ("499", 2), ("500", 5), ("1000", 5), ("1001", 10), ("1500", 10)] as [(String?, Int)])
    func klinesByLimit(limit: String?, expected: Int) {
        let values = limit.map { ["limit": $0] } ?? [:]
        for path in ["/fapi/v1/klines", "/fapi/v1/continuousKlines", "/fapi/v1/markPriceKlines", "/fapi/v1/indexPriceKlines", "/fapi/v1/premiumIndexKlines"] {
            #expect(Self.weight(.get, path, values) == expected, "\(path)")
        }
    }

    @Test(arguments: [
        ("/fapi/v1/ticker/price", 1, 2), ("/fapi/v2/ticker/price", 1, 2), ("/fapi/v1/ticker/24hr", 1, 40),
        ("/fapi/v1/openOrders", 1, 40), ("/fapi/v1/openAlgoOrders", 1, 40), ("/fapi/v1/ticker/bookTicker", 2, 5),
        ("/fapi/v1/premiumIndex", 1, 10), ("/fapi/v1/forceOrders", 20, 50),
    ])
    func withAndWithoutSymbol(path: String, withSymbol: Int, without: Int) {
        #expect(Self.weight(.get, path, ["symbol": "BTCUSDT"]) == withSymbol)
        #expect(Self.weight(.get, path) == without)
        #expect(Self.weight(.get, path, ["symbol": ""]) == without)
    }

    @Test(arguments: [
        ("/fapi/v1/ping", 1), ("/fapi/v1/time", 1), ("/fapi/v1/exchangeInfo", 1), ("/fapi/v1/order", 1), ("/fapi/v1/openOrder", 1),
        ("/fapi/v1/trades", 5), ("/fapi/v1/historicalTrades", 20), ("/fapi/v1/aggTrades", 20),
        ("/fapi/v1/allOrders", 5), ("/fapi/v1/userTrades", 5), ("/fapi/v1/income", 30),
        ("/fapi/v2/positionRisk", 5), ("/fapi/v3/positionRisk", 5), ("/fapi/v2/account", 5), ("/fapi/v3/account", 5),
        ("/fapi/v2/balance", 5), ("/fapi/v3/balance", 5), ("/fapi/v1/positionSide/dual", 30), ("/fapi/v1/commissionRate", 20),
        ("/fapi/v1/leverageBracket", 1), ("/fapi/v1/symbolConfig", 5), ("/fapi/v1/accountConfig", 5), ("/fapi/v1/allAlgoOrders", 5),
        ("/fapi/v1/algoOrder", 1), ("/fapi/v1/fundingRate", 1), ("/fapi/v1/openInterest", 1), ("/fapi/v1/unlisted", 1),
    ])
    func fixedGetWeights(path: String, expected: Int) {
        #expect(Self.weight(.get, path, ["symbol": "BTCUSDT"]) == expected)
    }

    @Test func orderEntryWeighsNothingOnTheIPAndCountsAsAnOrder() {
        let none = BinanceParameters()
        for (method, path) in [(RequestMethod.post, "/fapi/v1/order"), (.put, "/fapi/v1/order"), (.post, "/fapi/v1/algoOrder")] {
            #expect(RequestWeights.cost(method: method, path: path, parameters: none) == RequestCost(weight: 0, orders10s: 1, orders1m: 1))
        }
        #expect(RequestWeights.cost(method: .post, path: "/fapi/v1/batchOrders", parameters: none) == RequestCost(weight: 5, orders10s: 5, orders1m: 1))
        #expect(RequestWeights.cost(method: .put, path: "/fapi/v1/batchOrders", parameters: none).isOrder)
        #expect(RequestWeights.cost(method: .post, path: "/fapi/v1/order/test", parameters: none) == RequestCost(weight: 0))
    }

    @Test func cancelsAndConfigurationWeighOneAndCountNoOrder() {
        let none = BinanceParameters()
        let ones: [(RequestMethod, String)] = [
            (.delete, "/fapi/v1/order"), (.delete, "/fapi/v1/allOpenOrders"), (.delete, "/fapi/v1/batchOrders"), (.delete, "/fapi/v1/algoOrder"),
            (.delete, "/fapi/v1/algoOpenOrders"), (.post, "/fapi/v1/leverage"), (.post, "/fapi/v1/marginType"), (.post, "/fapi/v1/positionSide/dual"),
            (.post, "/fapi/v1/listenKey"), (.put, "/fapi/v1/listenKey"), (.delete, "/fapi/v1/listenKey"),
        ]
        for (method, path) in ones {
            let cost = RequestWeights.cost(method: method, path: path, parameters: none)
            #expect(cost == RequestCost(weight: 1), "\(method) \(path)")
            #expect(!cost.isOrder)
        }
        #expect(RequestWeights.cost(method: .post, path: "/fapi/v1/countdownCancelAll", parameters: none).weight == 10)
    }
}
