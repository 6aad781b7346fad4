import Foundation
import QuantumCore

/// The symbols the simulator lists when no exchangeInfo file is given: Binance's rules and leverage
/// brackets for BTCUSDT, ETHUSDT, SOLUSDT, BNBUSDT and XRPUSDT.
///
/// Filters are Binance's current values (minimum notional 100 / 20 / 5 USDT, reference §0.4);
/// brackets are Binance's schedule of 2024-10-24. Both can be replaced from files
/// (`quantum exchange --exchange-info … --brackets …`).
public enum SymbolCatalog {
    /// The rules of every built-in symbol.
    public static let rules: [Symbol: SymbolRules] = {
        var rules: [Symbol: SymbolRules] = [:]
        for entry in entries { rules[entry.symbol] = entry }
        return rules
    }()

    /// The built-in symbols, sorted.
    public static var symbols: [Symbol] { rules.keys.sorted() }

    /// Binance's leverage brackets of the built-in symbols.
    public static let brackets: LeverageBracketTable = {
        // The literal below is a valid bracket document; a parse failure is a programming error caught by the tests.
        (try? LeverageBracketTable.parse(Data(bracketDocument.utf8))) ?? (try! LeverageBracketTable([]))
    }()

    private static func rule(
        _ name: String, price: Int, quantity: Int, tick: String, minPrice: String, maxPrice: String,
        step: String, maxQty: String, marketMaxQty: String, minNotional: String
    ) -> SymbolRules {
        let step = try! Quantity(parsing: step)
        return SymbolRules(
            symbol: Symbol(rawValue: name)!, pricePrecision: price, quantityPrecision: quantity,
            tickSize: try! Price(parsing: tick), minPrice: try! Price(parsing: minPrice), maxPrice: try! Price(parsing: maxPrice),
            lot: .init(minQuantity: step, maxQuantity: try! Quantity(parsing: maxQty), stepSize: step),
            marketLot: .init(minQuantity: step, maxQuantity: try! Quantity(parsing: marketMaxQty), stepSize: step),
            minNotional: try! Notional(parsing: minNotional),
            multiplierUp: try! Ratio(parsing: "1.05"), multiplierDown: try! Ratio(parsing: "0.95"))
    }

    private static let entries: [SymbolRules] = [
        rule("BTCUSDT", price: 2, quantity: 3, tick: "0.10", minPrice: "261.10", maxPrice: "809484", step: "0.001",
             maxQty: "1000", marketMaxQty: "120", minNotional: "100"),
        rule("ETHUSDT", price: 2, quantity: 3, tick: "0.01", minPrice: "39.86", maxPrice: "306177", step: "0.001",
             maxQty: "10000", marketMaxQty: "2000", minNotional: "20"),
        rule("SOLUSDT", price: 4, quantity: 0, tick: "0.0100", minPrice: "0.4200", maxPrice: "6857", step: "1",
             maxQty: "1000000", marketMaxQty: "5000", minNotional: "5"),
        rule("BNBUSDT", price: 3, quantity: 2, tick: "0.010", minPrice: "6.600", maxPrice: "100000", step: "0.01",
             maxQty: "100000", marketMaxQty: "2000", minNotional: "5"),
        rule("XRPUSDT", price: 4, quantity: 1, tick: "0.0001", minPrice: "0.0143", maxPrice: "100000", step: "0.1",
             maxQty: "10000000", marketMaxQty: "2000000", minNotional: "5"),
    ]

    private static let bracketDocument = """
    [
    {"symbol":"BNBUSDT","brackets":[{"bracket":1,"initialLeverage":75,"notionalCap":10000,"notionalFloor":0,"maintMarginRatio":0.005,"cum":0},{"bracket":2,"initialLeverage":50,"notionalCap":50000,"notionalFloor":10000,"maintMarginRatio":0.006,"cum":10},{"bracket":3,"initialLeverage":40,"notionalCap":200000,"notionalFloor":50000,"maintMarginRatio":0.01,"cum":210},{"bracket":4,"initialLeverage":25,"notionalCap":1500000,"notionalFloor":200000,"maintMarginRatio":0.02,"cum":2210},{"bracket":5,"initialLeverage":20,"notionalCap":3000000,"notionalFloor":1500000,"maintMarginRatio":0.025,"cum":9710},{"bracket":6,"initialLeverage":10,"notionalCap":15000000,"notionalFloor":3000000,"maintMarginRatio":0.05,"cum":84710},{"bracket":7,"initialLeverage":5,"notionalCap":30000000,"notionalFloor":15000000,"maintMarginRatio":0.1,"cum":834710},{"bracket":8,"initialLeverage":4,"notionalCap":37500000,"notionalFloor":30000000,"maintMarginRatio":0.125,"cum":1584710},{"bracket":9,"initialLeverage":2,"notionalCap":75000000,"notionalFloor":37500000,"maintMarginRatio":0.25,"cum":6272210},{"bracket":10,"initialLeverage":1,"notionalCap":150000000,"notionalFloor":75000000,"maintMarginRatio":0.5,"cum":25022210}]},
    {"symbol":"BTCUSDT","brackets":[{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0},{"bracket":2,"initialLeverage":100,"notionalCap":600000,"notionalFloor":50000,"maintMarginRatio":0.005,"cum":50},{"bracket":3,"initialLeverage":75,"notionalCap":3000000,"notionalFloor":600000,"maintMarginRatio":0.0065,"cum":950},{"bracket":4,"initialLeverage":50,"notionalCap":12000000,"notionalFloor":3000000,"maintMarginRatio":0.01,"cum":11450},{"bracket":5,"initialLeverage":25,"notionalCap":70000000,"notionalFloor":12000000,"maintMarginRatio":0.02,"cum":131450},{"bracket":6,"initialLeverage":20,"notionalCap":100000000,"notionalFloor":70000000,"maintMarginRatio":0.025,"cum":481450},{"bracket":7,"initialLeverage":10,"notionalCap":230000000,"notionalFloor":100000000,"maintMarginRatio":0.05,"cum":2981450},{"bracket":8,"initialLeverage":5,"notionalCap":480000000,"notionalFloor":230000000,"maintMarginRatio":0.1,"cum":14481450},{"bracket":9,"initialLeverage":4,"notionalCap":600000000,"notionalFloor":480000000,"maintMarginRatio":0.125,"cum":26481450},{"bracket":10,"initialLeverage":3,"notionalCap":800000000,"notionalFloor":600000000,"maintMarginRatio":0.15,"cum":41481450},{"bracket":11,"initialLeverage":2,"notionalCap":1200000000,"notionalFloor":800000000,"maintMarginRatio":0.25,"cum":121481450},{"bracket":12,"initialLeverage":1,"notionalCap":1800000000,"notionalFloor":1200000000,"maintMarginRatio":0.5,"cum":421481450}]},
    {"symbol":"ETHUSDT","brackets":[{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0},{"bracket":2,"initialLeverage":100,"notionalCap":600000,"notionalFloor":50000,"maintMarginRatio":0.005,"cum":50},{"bracket":3,"initialLeverage":75,"notionalCap":3000000,"notionalFloor":600000,"maintMarginRatio":0.0065,"cum":950},{"bracket":4,"initialLeverage":50,"notionalCap":12000000,"notionalFloor":3000000,"maintMarginRatio":0.01,"cum":11450},{"bracket":5,"initialLeverage":25,"notionalCap":50000000,"notionalFloor":12000000,"maintMarginRatio":0.02,"cum":131450},{"bracket":6,"initialLeverage":20,"notionalCap":65000000,"notionalFloor":50000000,"maintMarginRatio":0.025,"cum":381450},{"bracket":7,"initialLeverage":10,"notionalCap":150000000,"notionalFloor":65000000,"maintMarginRatio":0.05,"cum":2006450},{"bracket":8,"initialLeverage":5,"notionalCap":320000000,"notionalFloor":150000000,"maintMarginRatio":0.1,"cum":9506450},{"bracket":9,"initialLeverage":4,"notionalCap":400000000,"notionalFloor":320000000,"maintMarginRatio":0.125,"cum":17506450},{"bracket":10,"initialLeverage":3,"notionalCap":530000000,"notionalFloor":400000000,"maintMarginRatio":0.15,"cum":27506450},{"bracket":11,"initialLeverage":2,"notionalCap":800000000,"notionalFloor":530000000,"maintMarginRatio":0.25,"cum":80506450},{"bracket":12,"initialLeverage":1,"notionalCap":1200000000,"notionalFloor":800000000,"maintMarginRatio":0.5,"cum":280506450}]},
    {"symbol":"SOLUSDT","brackets":[{"bracket":1,"initialLeverage":100,"notionalCap":20000,"notionalFloor":0,"maintMarginRatio":0.005,"cum":0},{"bracket":2,"initialLeverage":75,"notionalCap":100000,"notionalFloor":20000,"maintMarginRatio":0.0065,"cum":30},{"bracket":3,"initialLeverage":50,"notionalCap":800000,"notionalFloor":100000,"maintMarginRatio":0.01,"cum":380},{"bracket":4,"initialLeverage":25,"notionalCap":4000000,"notionalFloor":800000,"maintMarginRatio":0.02,"cum":8380},{"bracket":5,"initialLeverage":20,"notionalCap":8000000,"notionalFloor":4000000,"maintMarginRatio":0.025,"cum":28380},{"bracket":6,"initialLeverage":10,"notionalCap":40000000,"notionalFloor":8000000,"maintMarginRatio":0.05,"cum":228380},{"bracket":7,"initialLeverage":5,"notionalCap":80000000,"notionalFloor":40000000,"maintMarginRatio":0.1,"cum":2228380},{"bracket":8,"initialLeverage":4,"notionalCap":100000000,"notionalFloor":80000000,"maintMarginRatio":0.125,"cum":4228380},{"bracket":9,"initialLeverage":2,"notionalCap":200000000,"notionalFloor":100000000,"maintMarginRatio":0.25,"cum":16728380},{"bracket":10,"initialLeverage":1,"notionalCap":400000000,"notionalFloor":200000000,"maintMarginRatio":0.5,"cum":66728380}]},
    {"symbol":"XRPUSDT","brackets":[{"bracket":1,"initialLeverage":75,"notionalCap":10000,"notionalFloor":0,"maintMarginRatio":0.005,"cum":0},{"bracket":2,"initialLeverage":50,"notionalCap":20000,"notionalFloor":10000,"maintMarginRatio":0.0065,"cum":15},{"bracket":3,"initialLeverage":40,"notionalCap":160000,"notionalFloor":20000,"maintMarginRatio":0.01,"cum":85},{"bracket":4,"initialLeverage":25,"notionalCap":800000,"notionalFloor":160000,"maintMarginRatio":0.02,"cum":1685},{"bracket":5,"initialLeverage":20,"notionalCap":1600000,"notionalFloor":800000,"maintMarginRatio":0.025,"cum":5685},{"bracket":6,"initialLeverage":10,"notionalCap":8000000,"notionalFloor":1600000,"maintMarginRatio":0.05,"cum":45685},{"bracket":7,"initialLeverage":5,"notionalCap":16000000,"notionalFloor":8000000,"maintMarginRatio":0.1,"cum":445685},{"bracket":8,"initialLeverage":4,"notionalCap":20000000,"notionalFloor":16000000,"maintMarginRatio":0.125,"cum":845685},{"bracket":9,"initialLeverage":2,"notionalCap":40000000,"notionalFloor":20000000,"maintMarginRatio":0.25,"cum":3345685},{"bracket":10,"initialLeverage":1,"notionalCap":80000000,"notionalFloor":40000000,"maintMarginRatio":0.5,"cum":13345685}]}
    ]
    """
}
