import QuantumCore
import QuantumSim
import Testing

/// The 300-symbol listing of `--symbols all`: valid Binance-style rules, tradable at its start prices.
@Suite("Synthetic universe")
struct SyntheticUniverseTests {
    @Test("300 distinct symbols, the catalogue's five first, each with rules, a schedule and an instrument")
    func listing() {
        let symbols = SyntheticUniverse.symbols()
        #expect(symbols.count == SyntheticUniverse.size)
        #expect(Set(symbols).count == symbols.count)
        #expect(Array(symbols.prefix(5)) == SymbolCatalog.symbols)
        #expect(SyntheticUniverse.symbols(count: 10).count == 10)
        #expect(SyntheticUniverse.symbols(count: 0).isEmpty)
        for symbol in symbols {
            #expect(SyntheticUniverse.allRules[symbol] != nil, "\(symbol) has no rules")
            #expect(SyntheticUniverse.brackets[symbol] != nil, "\(symbol) has no leverage schedule")
        }
        #expect(SyntheticUniverse.instruments.count == SyntheticUniverse.size - SymbolCatalog.symbols.count)
        // The catalogue's own rules are not replaced by the synthetic ones.
        #expect(SyntheticUniverse.allRules[Symbol("BTCUSDT")] == SymbolCatalog.rules[Symbol("BTCUSDT")])
    }

    @Test("every synthetic start price is on its tick and within its limits; an order of about 300 USDT passes the rules and fills")
    func tradable() throws {
        var engine = SimulatedExchange(rules: SyntheticUniverse.allRules)
        engine.useLeverageBrackets(SyntheticUniverse.brackets)
        engine.openAccount("k", balance: try Notional(parsing: "10000000"))
        let time = EpochMillis(1_750_000_000_000)
        for instrument in SyntheticUniverse.instruments {
            let rules = try #require(SyntheticUniverse.rules[instrument.symbol])
            let price = instrument.startPrice
            #expect(price.units % rules.tickSize.units == 0, "\(instrument.symbol) starts off its tick")
            #expect(price.significantDecimals <= rules.pricePrecision, "\(instrument.symbol)")
            #expect(rules.minPrice <= price && price <= rules.maxPrice, "\(instrument.symbol)")
            #expect(instrument.stepSize == rules.lot.stepSize && instrument.tickSize == rules.tickSize)
            // 300 USDT worth of the base asset, whole steps.
            let steps = Int64(Int128(300) * Int128(Price.one) * Int128(Quantity.one) / (Int128(price.units) * Int128(rules.lot.stepSize.units)))
            let quantity = Quantity(units: steps * rules.lot.stepSize.units)
            let check = OrderCheck(type: .market, side: .buy, quantity: quantity, markPrice: price)
            #expect(rules.validate(check) == nil, "\(instrument.symbol): \(String(describing: rules.validate(check)))")
            engine.updateMarket(instrument.symbol, last: price, mark: price, time: time)
            let order = try engine.placeOrder("k", NewOrderRequest(symbol: instrument.symbol, side: .buy, type: "MARKET", quantity: quantity), time: time)
            #expect(order.status == .filled, "\(instrument.symbol) \(order.status)")
        }
    }
}
