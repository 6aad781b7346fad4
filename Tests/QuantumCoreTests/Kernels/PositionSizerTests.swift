import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct PositionSizerTests {
    static let rules = SymbolRules(
        symbol: Symbol("BTCUSDT"), pricePrecision: 2, quantityPrecision: 3, tickSize: Price("0.1")!, minPrice: Price("402")!,
        maxPrice: Price("1000000")!, lot: .init(minQuantity: Quantity("0.001")!, maxQuantity: Quantity("1000")!, stepSize: Quantity("0.001")!),
        marketLot: .init(minQuantity: Quantity("0.001")!, maxQuantity: Quantity("120")!, stepSize: Quantity("0.001")!),
        minNotional: Notional("100")!)
    let leverage = Leverage(rawValue: 10)!

    @Test func sizesFromRiskWithExplicitUnits() throws {
        // 1 % of 10 000 = 100 USDT at risk; stop 1 000 away → 0.1 BTC; notional 5 000; margin 500 at 10x.
        let sized = try PositionSizer().size(equity: Notional("10000")!, entry: Price("50000")!, stop: Price("49000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("10000")!).get()
        #expect(sized.quantity == Quantity("0.1")!)
        #expect(sized.notional == Notional("5000")!)
        #expect(sized.margin == Margin("500")!)
        #expect(sized.riskAmount == Notional("100")!)
        #expect(sized.limitedBy == .risk)
    }

    @Test func theQuantityIsTheNotionalOverThePriceHalfUpToTheStep() throws {
        let step = Quantity("0.001")!
        #expect(try qty("1000", "95502.7", step) == Quantity("0.010")!)   // 0.010471… → 0.010
        #expect(try qty("1000", "1800", step) == Quantity("0.556")!)      // 0.5555… → 0.556
        #expect(try qty("1000", "2000", step) == Quantity("0.5")!)
        #expect(try qty("1000", "2.2", Quantity("0.1")!) == Quantity("454.5")!)  // 454.545… → 454.5
        #expect(try qty("1000", "8000", Quantity("0.25")!) == Quantity("0.25")!)  // 0.125 = half a step → up
    }

    func qty(_ notional: String, _ price: String, _ step: Quantity) throws -> Quantity {
        try PositionSizer.quantity(for: Notional(notional)!, at: Price(price)!, step: step)
    }

    /// A fixed stake sizes by notional whatever the stop and equity, as the backtest does; the caps still bind.
    @Test func aFixedNotionalSizesEveryOpenAlikeWithinTheCaps() throws {
        var config = PositionSizer.Configuration()
        config.notionalPerTrade = Notional("1000")!
        let sizer = PositionSizer(configuration: config)
        for (equity, stop) in [("10000", "49000"), ("500000", "49990")] {
            let sized = try sizer.size(equity: Notional(equity)!, entry: Price("50000")!, stop: Price(stop)!, leverage: leverage, rules: Self.rules, availableMargin: Margin("10000")!).get()
            #expect(sized.quantity == Quantity("0.02")! && sized.limitedBy == .notional)
        }
        config.maxNotionalPerTrade = Notional("600")!
        let capped = try PositionSizer(configuration: config).size(equity: Notional("10000")!, entry: Price("50000")!, stop: Price("49000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("10000")!).get()
        #expect(capped.quantity == Quantity("0.012")! && capped.limitedBy == .maxNotional)
        let margin = try sizer.size(equity: Notional("10000")!, entry: Price("50000")!, stop: Price("49000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("50")!).get()
        #expect(margin.quantity == Quantity("0.01")! && margin.limitedBy == .margin)
    }

    @Test func capsByNotionalAndMarginAndFloorsToStep() throws {
        var config = PositionSizer.Configuration()
        config.maxNotionalPerTrade = Notional("2000")!
        let capped = try PositionSizer(configuration: config).size(equity: Notional("10000")!, entry: Price("50000")!, stop: Price("49000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("10000")!).get()
        #expect(capped.quantity == Quantity("0.04")!)
        #expect(capped.limitedBy == .maxNotional)
        let margin = try PositionSizer().size(equity: Notional("10000")!, entry: Price("50000")!, stop: Price("49000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("333")!).get()
        // 333 × 10 = 3 330 notional → 0.0666 BTC → floored 0.066.
        #expect(margin.quantity == Quantity("0.066")!)
        #expect(margin.limitedBy == .margin)
        #expect(margin.margin <= Margin("333")!)
    }

    @Test func refusesWhatCannotBeTraded() throws {
        let sizer = PositionSizer()
        #expect(try sizer.size(equity: .zero, entry: Price("50000")!, stop: Price("49000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("1")!) == .failure(.equityStale))
        #expect(try sizer.size(equity: Notional("100")!, entry: Price("50000")!, stop: Price("50000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("100")!) == .failure(.invalidPlan))
        // 1 USDT of risk over a 1 000 stop: 0.001 BTC, 50 USDT notional < 100 min notional.
        #expect(try sizer.size(equity: Notional("100")!, entry: Price("50000")!, stop: Price("49000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("100")!) == .failure(.belowMinNotional))
        #expect(try sizer.size(equity: Notional("10")!, entry: Price("50000")!, stop: Price("49000")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("100")!) == .failure(.quantityBelowStep))
    }

    @Test func theMarketLotMaximumBounds() throws {
        let huge = try PositionSizer().size(equity: Notional("100000000")!, entry: Price("1000")!, stop: Price("999")!, leverage: leverage, rules: Self.rules, availableMargin: Margin("100000000")!).get()
        #expect(huge.quantity == Quantity("120")!)
    }
}
