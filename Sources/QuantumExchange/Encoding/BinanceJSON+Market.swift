import QuantumCore
import QuantumVenue
import QuantumSim

extension BinanceJSON {
    /// `GET /fapi/v1/exchangeInfo` for the symbols the simulator lists, with its configured rate limits.
    public static func exchangeInfo(
        rules: [SymbolRules], serverTime: EpochMillis, weightLimit: Int, ordersPerMinute: Int, ordersPerTenSeconds: Int
    ) -> JSONValue {
        [
            "timezone": "UTC",
            "serverTime": .time(serverTime),
            "futuresType": "U_MARGINED",
            "rateLimits": [
                ["rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": .integer(Int64(weightLimit))],
                ["rateLimitType": "ORDERS", "interval": "MINUTE", "intervalNum": 1, "limit": .integer(Int64(ordersPerMinute))],
                ["rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": .integer(Int64(ordersPerTenSeconds))],
            ],
            "exchangeFilters": [],
            "assets": [["asset": "USDT", "marginAvailable": true, "autoAssetExchange": "-10000"]],
            "symbols": .array(rules.map(symbolInfo)),
        ]
    }

    /// One symbol of exchangeInfo with its filters (strings, as Binance sends them).
    public static func symbolInfo(_ rules: SymbolRules) -> JSONValue {
        let base = baseAsset(of: rules.symbol)
        var filters: [JSONValue] = [
            ["filterType": "PRICE_FILTER", "minPrice": decimal(rules.minPrice), "maxPrice": decimal(rules.maxPrice), "tickSize": decimal(rules.tickSize)],
            ["filterType": "LOT_SIZE", "minQty": decimal(rules.lot.minQuantity), "maxQty": decimal(rules.lot.maxQuantity), "stepSize": decimal(rules.lot.stepSize)],
            ["filterType": "MARKET_LOT_SIZE", "minQty": decimal(rules.marketLot.minQuantity), "maxQty": decimal(rules.marketLot.maxQuantity),
             "stepSize": decimal(rules.marketLot.stepSize)],
            ["filterType": "MAX_NUM_ORDERS", "limit": 200],
            ["filterType": "MAX_NUM_ALGO_ORDERS", "limit": 10],
            ["filterType": "MIN_NOTIONAL", "notional": decimal(rules.minNotional)],
        ]
        if let up = rules.multiplierUp, let down = rules.multiplierDown {
            filters.append(["filterType": "PERCENT_PRICE", "multiplierUp": .string(up.formatted(decimals: 4)),
                            "multiplierDown": .string(down.formatted(decimals: 4)), "multiplierDecimal": "4"])
        }
        return [
            "symbol": .string(rules.symbol.rawValue),
            "pair": .string(rules.symbol.rawValue),
            "contractType": "PERPETUAL",
            "deliveryDate": 4_133_404_800_000,
            "onboardDate": 1_569_398_400_000,
            "status": .string(rules.status),
            "maintMarginPercent": "2.5000",
            "requiredMarginPercent": "5.0000",
            "baseAsset": .string(base),
            "quoteAsset": "USDT",
            "marginAsset": "USDT",
            "pricePrecision": .integer(Int64(rules.pricePrecision)),
            "quantityPrecision": .integer(Int64(rules.quantityPrecision)),
            "baseAssetPrecision": 8,
            "quotePrecision": 8,
            "underlyingType": "COIN",
            "underlyingSubType": [],
            "settlePlan": 0,
            "triggerProtect": "0.0500",
            "liquidationFee": "0.012500",
            "marketTakeBound": "0.05",
            "maxMoveOrderLimit": 10000,
            "filters": .array(filters),
            "orderTypes": ["LIMIT", "MARKET", "STOP", "STOP_MARKET", "TAKE_PROFIT", "TAKE_PROFIT_MARKET", "TRAILING_STOP_MARKET"],
            "timeInForce": ["GTC", "IOC", "FOK", "GTX"],
        ]
    }

    /// The base asset of a USDT-margined symbol (`BTCUSDT` → `BTC`).
    static func baseAsset(of symbol: Symbol) -> String {
        symbol.rawValue.hasSuffix("USDT") ? String(symbol.rawValue.dropLast(4)) : symbol.rawValue
    }

    /// A kline as the 12-element array of `GET /fapi/v1/klines`.
    public static func klineRow(_ kline: Kline) -> JSONValue {
        let quote = (try? kline.close.notional(of: kline.volume)) ?? .zero
        return [
            .time(kline.openTime), decimal(kline.open), decimal(kline.high), decimal(kline.low), decimal(kline.close),
            decimal(kline.volume), .time(kline.closeTime), decimal(quote), .integer(Int64(kline.tradeCount)),
            "0", "0", "0",
        ]
    }

    /// `ticker/price` (v1 and v2 share the shape).
    public static func tickerPrice(_ symbol: Symbol, _ market: SimulatedExchange.MarketPrice) -> JSONValue {
        ["symbol": .string(symbol.rawValue), "price": decimal(market.last), "time": .time(market.time)]
    }

    /// `ticker/bookTicker` from the synthetic book.
    public static func bookTicker(_ symbol: Symbol, book: SyntheticBook, time: EpochMillis) -> JSONValue {
        [
            "symbol": .string(symbol.rawValue),
            "bidPrice": decimal(book.bids.first?.price ?? .zero), "bidQty": decimal(book.bids.first?.quantity ?? .zero),
            "askPrice": decimal(book.asks.first?.price ?? .zero), "askQty": decimal(book.asks.first?.quantity ?? .zero),
            "time": .time(time),
        ]
    }

    /// `premiumIndex`: mark and index (the simulator has no separate index), the funding rate and next funding time.
    public static func premiumIndex(
        _ symbol: Symbol, _ market: SimulatedExchange.MarketPrice, fundingRate: Ratio, nextFundingTime: EpochMillis
    ) -> JSONValue {
        [
            "symbol": .string(symbol.rawValue),
            "markPrice": decimal(market.mark),
            "indexPrice": decimal(market.mark),
            "estimatedSettlePrice": decimal(market.mark),
            "lastFundingRate": .string(fundingRate.formatted(decimals: 8)),
            "interestRate": "0.00010000",
            "nextFundingTime": .time(nextFundingTime),
            "time": .time(market.time),
        ]
    }

    /// `depth`: the synthetic book, best first.
    public static func depth(_ book: SyntheticBook, updateID: Int64, time: EpochMillis) -> JSONValue {
        [
            "lastUpdateId": .integer(updateID),
            "E": .time(time),
            "T": .time(time),
            "bids": .array(book.bids.map { [decimal($0.price), decimal($0.quantity)] }),
            "asks": .array(book.asks.map { [decimal($0.price), decimal($0.quantity)] }),
        ]
    }

    /// One symbol of `GET /fapi/v1/leverageBracket` (ratios and caps as JSON numbers, as Binance sends them).
    public static func leverageBrackets(_ schedule: LeverageBrackets) -> JSONValue {
        [
            "symbol": .string(schedule.symbol.rawValue),
            "brackets": .array(schedule.brackets.map { tier in
                [
                    "bracket": .integer(Int64(tier.bracket)),
                    "initialLeverage": .integer(Int64(tier.initialLeverage.rawValue)),
                    "notionalCap": .number(tier.notionalCap.description),
                    "notionalFloor": .number(tier.notionalFloor.description),
                    "maintMarginRatio": .number(tier.maintMarginRatio.description),
                    "cum": .number(tier.cum.description),
                ]
            }),
        ]
    }
}
