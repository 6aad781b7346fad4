import QuantumCore
import QuantumSim
import Testing

@Suite("Symbol catalogue", .timeLimit(.minutes(3)))
struct SymbolCatalogTests {
    @Test("five symbols with Binance's minimum notionals; brackets parse and cap leverage")
    func catalogue() throws {
        #expect(SymbolCatalog.symbols.map(\.rawValue) == ["BNBUSDT", "BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"])
        #expect(SymbolCatalog.rules[Symbol(rawValue: "BTCUSDT")!]?.minNotional == (try Notional(parsing: "100")))
        #expect(SymbolCatalog.rules[Symbol(rawValue: "ETHUSDT")!]?.minNotional == (try Notional(parsing: "20")))
        #expect(SymbolCatalog.brackets.symbols == SymbolCatalog.symbols)
        #expect(SymbolCatalog.brackets[Symbol(rawValue: "BTCUSDT")!]?.maxLeverage.rawValue == 125)
        #expect(SymbolCatalog.brackets[Symbol(rawValue: "XRPUSDT")!]?.maxLeverage.rawValue == 75)
    }
}
