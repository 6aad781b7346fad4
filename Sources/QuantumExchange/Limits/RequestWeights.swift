import QuantumVenue

/// Binance USDⓈ-M request weights by method, path and parameters (reference §4 and the endpoint docs).
///
/// Weights that depend on parameters: depth and klines by `limit`, ticker/price, 24hr, bookTicker,
/// premiumIndex, openOrders and openAlgoOrders by whether `symbol` is sent. Order entry weighs 0 on
/// the IP limit and counts on the order limits; cancels weigh 1 and count no order (Binance's
/// documented weights: cancelling must stay possible when the order limit is exhausted).
/// Unlisted endpoints weigh 1.
public enum RequestWeights {
    /// The cost of one request.
    public static func cost(method: RequestMethod, path: String, parameters: BinanceParameters) -> RequestCost {
        switch (method, path) {
        case (.post, "/fapi/v1/order"), (.put, "/fapi/v1/order"), (.post, "/fapi/v1/algoOrder"):
            return RequestCost(weight: 0, orders10s: 1, orders1m: 1)
        case (.post, "/fapi/v1/batchOrders"), (.put, "/fapi/v1/batchOrders"):
            return RequestCost(weight: 5, orders10s: 5, orders1m: 1)
        case (.post, "/fapi/v1/order/test"):
            return RequestCost(weight: 0)
        case (.get, _):
            return RequestCost(weight: getWeight(path: path, parameters: parameters))
        case (.post, "/fapi/v1/countdownCancelAll"):
            return RequestCost(weight: 10)
        default:
            return RequestCost(weight: 1)
        }
    }

    /// The weight of a market-data depth request (default limit 500).
    public static func depthWeight(limit: Int) -> Int { BinanceWeights.depth(limit: limit) }

    /// The weight of a klines request (default limit 500).
    public static func klinesWeight(limit: Int) -> Int { BinanceWeights.klines(limit: limit) }

    private static func getWeight(path: String, parameters: BinanceParameters) -> Int {
        let hasSymbol = parameters.isPresent("symbol")
        switch path {
        case "/fapi/v1/depth":
            return depthWeight(limit: limit(parameters, default: 500))
        case "/fapi/v1/klines", "/fapi/v1/continuousKlines", "/fapi/v1/markPriceKlines", "/fapi/v1/indexPriceKlines",
             "/fapi/v1/premiumIndexKlines":
            return klinesWeight(limit: limit(parameters, default: 500))
        case "/fapi/v1/ticker/price", "/fapi/v2/ticker/price":
            return hasSymbol ? 1 : 2
        case "/fapi/v1/ticker/bookTicker":
            return hasSymbol ? 2 : 5
        case "/fapi/v1/ticker/24hr", "/fapi/v1/openOrders", "/fapi/v1/openAlgoOrders":
            return hasSymbol ? 1 : 40
        case "/fapi/v1/premiumIndex":
            return hasSymbol ? 1 : 10
        case "/fapi/v1/forceOrders":
            return hasSymbol ? 20 : 50
        default:
            return fixedGetWeights[path] ?? 1
        }
    }

    private static let fixedGetWeights: [String: Int] = [
        "/fapi/v1/trades": 5, "/fapi/v1/historicalTrades": 20, "/fapi/v1/aggTrades": 20,
        "/fapi/v1/allOrders": 5, "/fapi/v1/userTrades": 5, "/fapi/v1/income": 30, "/fapi/v1/allAlgoOrders": 5,
        "/fapi/v2/positionRisk": 5, "/fapi/v3/positionRisk": 5, "/fapi/v2/account": 5, "/fapi/v3/account": 5,
        "/fapi/v2/balance": 5, "/fapi/v3/balance": 5, "/fapi/v1/positionSide/dual": 30, "/fapi/v1/multiAssetsMargin": 30,
        "/fapi/v1/commissionRate": 20, "/fapi/v1/symbolConfig": 5, "/fapi/v1/accountConfig": 5, "/fapi/v1/adlQuantile": 5,
    ]

    /// `limit` as sent, or `fallback` when absent or not a number (the handler reports that error).
    private static func limit(_ parameters: BinanceParameters, default fallback: Int) -> Int {
        guard let text = parameters.string("limit"), let value = Int(text), value > 0 else { return fallback }
        return value
    }
}
