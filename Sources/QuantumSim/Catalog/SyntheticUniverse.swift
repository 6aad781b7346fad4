import QuantumCore

/// The paper exchange's full listing: the catalogue's five real symbols and enough synthetic ones
/// (`ALT001USDT` …) to make about as many perpetuals as Binance's USDⓈ-M market lists (about 300).
///
/// A synthetic symbol is made from its number alone, so every run lists the same ones: a start
/// price between 0.01 and 99 000 USDT, a tick of five significant digits, a step worth 0.1–1 USDT,
/// Binance's 5 USDT minimum notional, a 1-minute volatility of 0.06–0.15 % and XRPUSDT's leverage
/// schedule. They exist so the whole system can be run and measured at the scale of the real
/// universe; their prices come from the synthetic market only (there are no files to replay).
public enum SyntheticUniverse {
    /// Symbols in the full listing, the catalogue's included.
    public static let size = 300

    /// The catalogue's symbols first, then the synthetic ones in number order: `count` in all (at most `size`).
    public static func symbols(count: Int = size) -> [Symbol] {
        Array((SymbolCatalog.symbols + synthetic.map(\.rules.symbol)).prefix(max(0, count)))
    }

    /// The rules of every synthetic symbol.
    public static let rules: [Symbol: SymbolRules] = Dictionary(uniqueKeysWithValues: synthetic.map { ($0.rules.symbol, $0.rules) })

    /// The synthetic market's instrument of every synthetic symbol.
    public static let instruments: [SyntheticFeed.Instrument] = synthetic.map(\.instrument)

    /// The rules of the whole listing: the catalogue's and the synthetic symbols'.
    public static let allRules: [Symbol: SymbolRules] = SymbolCatalog.rules.merging(rules) { catalogue, _ in catalogue }

    /// Leverage schedules of the whole listing: the catalogue's, and XRPUSDT's tiers for every synthetic symbol.
    public static let brackets: LeverageBracketTable = {
        let catalogue = SymbolCatalog.brackets
        guard let template = catalogue[Symbol("XRPUSDT")] else { return catalogue }
        let schedules = Self.synthetic.compactMap { try? LeverageBrackets(symbol: $0.rules.symbol, brackets: template.brackets) }
        return (try? LeverageBracketTable(Array(catalogue.schedules.values) + schedules)) ?? catalogue
    }()

    private struct Listing {
        var rules: SymbolRules
        var instrument: SyntheticFeed.Instrument
    }

    private static let synthetic: [Listing] = (1...(size - SymbolCatalog.symbols.count)).map(listing)

    /// Symbol number `number`: its decade and mantissa, and from them its steps, limits and volatility.
    private static func listing(_ number: Int) -> Listing {
        let name = "ALT" + String(repeating: "0", count: max(0, 3 - String(number).count)) + String(number) + "USDT"
        let symbol = Symbol(rawValue: name)!
        // Price m × 10^e with e in -2…4 and m in 1.0…9.9.
        let exponent = number % 7 - 2
        let mantissaTenths = 10 + (number * 37) % 90
        let price = Price(units: Int64(mantissaTenths) * power(8 + exponent - 1))
        let tick = Price(units: power(4 + exponent))
        let step = Quantity(units: power(7 - exponent))
        let rules = SymbolRules(
            symbol: symbol, pricePrecision: max(0, 4 - exponent), quantityPrecision: max(0, exponent + 1),
            tickSize: tick, minPrice: tick, maxPrice: Price(units: power(8 + exponent + 3)),
            lot: .init(minQuantity: step, maxQuantity: Quantity(units: power(7 - exponent + 7)), stepSize: step),
            marketLot: .init(minQuantity: step, maxQuantity: Quantity(units: power(7 - exponent + 6)), stepSize: step),
            minNotional: Notional(units: 5 * Notional.one),
            multiplierUp: Ratio(units: 105_000_000), multiplierDown: Ratio(units: 95_000_000))
        let instrument = SyntheticFeed.Instrument(
            symbol: symbol, startPrice: price, tickSize: tick, stepSize: step,
            oneMinuteVolatility: 0.0006 + Double(number % 10) * 0.0001,
            // About 50 000 USDT a minute.
            volumePerMinute: Quantity(units: 5 * power(8 + 4 - exponent) / Int64(mantissaTenths) * 10))
        return Listing(rules: rules, instrument: instrument)
    }

    private static func power(_ exponent: Int) -> Int64 {
        (0..<exponent).reduce(1) { value, _ in value * 10 }
    }
}
