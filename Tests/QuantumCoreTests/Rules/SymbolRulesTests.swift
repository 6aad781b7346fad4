import Foundation
import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct SymbolRulesTests {
    static func btc() throws -> SymbolRules {
        let data = try Data(contentsOf: try SharedData.file("binance_um_reference/exchange_info_sample_BTCUSDT_ETHUSDT.json"))
        return try #require(try ExchangeInfo.parse(data)[Symbol("BTCUSDT")])
    }

    @Test func parsesRealExchangeInfo() throws {
        let data = try Data(contentsOf: try SharedData.file("binance_um_reference/exchange_info_sample_BTCUSDT_ETHUSDT.json"))
        let rules = try ExchangeInfo.parse(data)
        let btc = try #require(rules[Symbol("BTCUSDT")])
        #expect(btc.tickSize == (try Price(parsing: "0.10")))
        #expect(btc.minPrice == (try Price(parsing: "402")))
        #expect(btc.lot.stepSize == (try Quantity(parsing: "0.001")))
        #expect(btc.marketLot.maxQuantity == (try Quantity(parsing: "1000")))
        #expect(btc.minNotional == (try Notional(parsing: "10")))
        #expect(btc.pricePrecision == 2 && btc.quantityPrecision == 3)
        #expect(btc.multiplierUp == (try Ratio(parsing: "1.1")))
        let eth = try #require(rules[Symbol("ETHUSDT")])
        #expect(eth.tickSize == (try Price(parsing: "0.01")))
    }

    @Test func malformedExchangeInfoNamesTheField() {
        let bad = #"{"symbols":[{"symbol":"BTCUSDT","status":"TRADING","pricePrecision":2,"quantityPrecision":3,"filters":[{"filterType":"PRICE_FILTER","minPrice":"1","maxPrice":"x","tickSize":"0.1"},{"filterType":"LOT_SIZE","minQty":"0.001","maxQty":"1000","stepSize":"0.001"}]}]}"#
        #expect { try ExchangeInfo.parse(Data(bad.utf8)) } throws: { error in
            let e = error as? ExchangeInfoError
            return e?.symbol == "BTCUSDT" && e?.field == "PRICE_FILTER.maxPrice"
        }
        let missing = #"{"symbols":[{"symbol":"BTCUSDT","status":"TRADING","pricePrecision":2,"quantityPrecision":3,"filters":[]}]}"#
        #expect { try ExchangeInfo.parse(Data(missing.utf8)) } throws: { ($0 as? ExchangeInfoError)?.field == "PRICE_FILTER" }
        #expect(throws: ExchangeInfoError.self) { try ExchangeInfo.parse(Data("[]".utf8)) }
    }

    func code(_ rules: SymbolRules, _ order: OrderCheck) -> Int? { rules.validate(order)?.binanceCode }

    @Test func validOrdersPass() throws {
        let rules = try Self.btc()
        let mark = try Price(parsing: "50000")
        #expect(rules.validate(OrderCheck(type: .market, side: .buy, quantity: try Quantity(parsing: "0.001"), markPrice: mark)) == nil)
        #expect(rules.validate(OrderCheck(type: .limit, side: .sell, quantity: try Quantity(parsing: "0.010"), price: try Price(parsing: "50000.10"), markPrice: mark)) == nil)
    }

    @Test func violationsNameTheBinanceError() throws {
        let rules = try Self.btc()
        let mark = try Price(parsing: "50000")
        func market(_ q: String, reduceOnly: Bool = false) throws -> OrderCheck {
            OrderCheck(type: .market, side: .buy, quantity: try Quantity(parsing: q), markPrice: mark, reduceOnly: reduceOnly)
        }
        func limit(_ p: String, side: OrderSide = .buy) throws -> OrderCheck {
            OrderCheck(type: .limit, side: side, quantity: try Quantity(parsing: "0.01"), price: try Price(parsing: p), markPrice: mark)
        }
        #expect(code(rules, try market("0")) == -4003)
        #expect(code(rules, try market("-0.001")) == -4003)
        #expect(code(rules, try market("0.0011")) == -1111)
        #expect(code(rules, try limit("50000.123")) == -1111)
        #expect(code(rules, try limit("401.9")) == -4013)
        #expect(code(rules, try limit("1246396.7")) == -4002)
        #expect(code(rules, try limit("-1")) == -4001)
        #expect(code(rules, try limit("50000.15")) == -4014)
        #expect(code(rules, try market("1001")) == -4005)
        var coarse = rules
        coarse.marketLot.stepSize = try Quantity(parsing: "0.002")
        #expect(code(coarse, try market("0.002")) == -4023)
        #expect(code(rules, try market("0.0001")) == -1111)
        var smallMin = rules
        smallMin.quantityPrecision = 4
        #expect(code(smallMin, try market("0.0005")) == -4004)
        // MIN_NOTIONAL: 0.001 × 5000 = 5 < 10, but reduce-only is exempt.
        let cheap = OrderCheck(type: .market, side: .buy, quantity: try Quantity(parsing: "0.001"), markPrice: try Price(parsing: "5000"))
        #expect(code(rules, cheap) == -4164)
        var exit = cheap
        exit.reduceOnly = true
        #expect(rules.validate(exit) == nil)
        #expect(code(rules, try limit("55000.1")) == -4016)
        #expect(code(rules, try limit("27000.0", side: .sell)) == -4024)
        var halted = rules
        halted.status = "SETTLING"
        #expect(code(halted, try market("0.001")) == -1121)
    }

    @Test func roundsQuantitiesDownAndPricesToTicks() throws {
        let rules = try Self.btc()
        #expect(try rules.flooredQuantity(try Quantity(parsing: "0.0129")) == (try Quantity(parsing: "0.012")))
        #expect(try rules.roundedPrice(try Price(parsing: "50000.06")) == (try Price(parsing: "50000.1")))
        #expect(try rules.roundedPrice(try Price(parsing: "50000.06"), .down) == (try Price(parsing: "50000")))
    }
}
