@testable import QuantumBacktest
import QuantumCore
import QuantumSim
import Testing

/// `run.fills = "venue"` on hand-made bars, on the paper exchange's engine: fills at the next open across the spread, the
/// stop on the bar's path, the target at the close, a stop on the tick that closes a bar settled before that bar's
/// cross, funding, margin, and the books agreeing with the engine's wallet to the unit.
@Suite(.timeLimit(.minutes(3)))
struct VenueBacktestTests {
    /// EMA 1/2 with warm-up 1 (a close above the slow average crosses up at once), filling as the paper exchange.
    func configuration(exitOnCross: Bool = true) -> BacktestConfiguration {
        var configuration = BacktestConfiguration(markets: [BacktestFixtures.btcMarket])
        configuration.strategy.fast = 1
        configuration.strategy.slow = 2
        configuration.strategy.atrPeriod = 1
        configuration.strategy.warmUp = 1
        configuration.fills = .venue
        configuration.exitOnCross = exitOnCross
        return configuration
    }

    func columns(_ bars: [(open: String, high: String, low: String, close: String)], from start: Int64 = BacktestFixtures.start) -> BarColumns {
        var columns = BarColumns(symbol: BacktestFixtures.btc, interval: .oneMinute)
        for (index, bar) in bars.enumerated() {
            columns.append(openTime: start + Int64(index) * 60_000, open: Price(bar.open)!.units, high: Price(bar.high)!.units,
                           low: Price(bar.low)!.units, close: Price(bar.close)!.units)
        }
        return columns
    }

    /// The symbol's result, after checking that the books agree with the engine: the wallet is the balance plus every
    /// round trip's net PnL, exactly.
    func run(_ bars: [(open: String, high: String, low: String, close: String)], exitOnCross: Bool = true,
             _ configure: (inout BacktestConfiguration) -> Void = { _ in }, from start: Int64 = BacktestFixtures.start) throws -> SymbolResult {
        var configuration = configuration(exitOnCross: exitOnCross)
        configure(&configuration)
        var venue = try VenueBacktest(configuration, series: [columns(bars, from: start)])
        try venue.play(progress: nil)
        let result = try #require(try Backtest.run(configuration, series: [BacktestFixtures.btc: columns(bars, from: start)]).symbols.first)
        let net = try result.trades.reduce(Notional.zero) { try $0 + $1.netPnL }
        #expect(venue.paper.engine.account(VenueBacktest.account)?.walletBalance == (try configuration.balance + net), "\(result.trades)")
        #expect(result.trades == venue.books.first?.trades)
        return result
    }

    /// Bar 1 closes up at 100 000 (ATR 1 000): a long decided there, stop 98 500, target 103 000.
    let decided: [(open: String, high: String, low: String, close: String)] = [
        ("99000", "99000", "99000", "99000"), ("99000", "100000", "99000", "100000"),
    ]

    @Test func anEntryFillsAtTheNextOpenAcrossTheSpreadAndTheStopAtThePathPointBeyondIt() throws {
        // Bar 2 opens at 100 200 and closes up: its path is open, low (98 400, through the stop), high, close.
        let result = try run(decided + [("100200", "100500", "98400", "100300")])
        let trade = try #require(result.trades.first)
        #expect(result.trades.count == 1)
        #expect(trade.direction == .long && trade.entryPrice == Price("100200.1")!, "bought at the ask of the next open")
        #expect(trade.stop == Price("98500")! && trade.target == Price("103000")!, "levels from the deciding close")
        #expect(trade.entryTime.rawValue == BacktestFixtures.start + 120_000)
        #expect(trade.exitReason == .stop && trade.exitPrice == Price("98399.9")!, "sold at the bid of the low, not at the level")
        #expect(trade.exitTime.rawValue == BacktestFixtures.start + 120_000 + 20_000, "the path's second point")
    }

    @Test func aTargetIsJudgedAtTheCloseAndFillsAtTheNextOpen() throws {
        // Bar 2's high passes the target but only its close decides; bar 3 opens at 103 400.
        let result = try run(decided + [("100200", "104000", "99900", "103500"), ("103400", "103600", "103300", "103500")])
        let trade = try #require(result.trades.first)
        #expect(trade.exitReason == .target && trade.exitPrice == Price("103399.9")!)
        #expect(trade.exitTime.rawValue == BacktestFixtures.start + 180_000)
        // A high through the target with a close short of it does not exit.
        let held = try run(decided + [("100200", "104000", "99900", "102900"), ("102900", "103000", "102800", "102950")])
        #expect(held.trades.map(\.exitReason) == [.endOfData])
    }

    @Test func aStopOnTheTickThatClosesABarLeavesThatBarsCrossToOpen() throws {
        // Bar 2 closes down at 99 100 (a down-cross) without touching the stop; bar 3 opens at 98 000, through it. That
        // tick fires the stop before the system sees bar 2, so the cross finds no position and opens a short there.
        let bars = decided + [("100200", "100400", "99000", "99100"), ("98000", "98100", "97900", "98000")]
        let result = try run(bars)
        #expect(result.trades.map(\.exitReason) == [.stop, .endOfData], "\(result.trades)")
        #expect(result.trades.first?.exitPrice == Price("97999.9")!)
        let short = try #require(result.trades.last)
        #expect(short.direction == .short && short.entryPrice == Price("97999.9")!, "sold at the bid of bar 3's open")
    }

    @Test func anOppositeCrossClosesAtTheNextOpenOnlyWhenTheStrategyExitsOnCrosses() throws {
        // Bar 2 crosses down without reaching the stop; bar 3 opens at 99 200, above it.
        let bars = decided + [("100200", "100400", "99000", "99100"), ("99200", "99300", "99100", "99200")]
        let crossing = try run(bars)
        #expect(crossing.trades.first?.exitReason == .cross && crossing.trades.first?.exitPrice == Price("99199.9")!)
        #expect(crossing.trades.count == 1, "no reversal on the cross's bar: \(crossing.trades)")
        let holding = try run(bars, exitOnCross: false)
        #expect(holding.trades.map(\.exitReason) == [.endOfData])
    }

    @Test func fundingIsTheEnginesAndComesOffTheTradesNet() throws {
        // The first bar at 07:57 UTC: the position is held over the 08:00 settlement, at the mark the engine held then
        // (bar 2's close, 100 300).
        let bars = decided + [("100200", "100500", "99900", "100300"), ("100300", "100400", "100200", "100350")]
        let result = try run(bars, { $0.fundingRate = Ratio("0.0001")! }, from: BacktestFixtures.start + 8 * 3_600_000 - 180_000)
        let trade = try #require(result.trades.first)
        #expect(trade.funding == (try (try Price("100300")!.notional(of: trade.quantity)).fraction(Ratio("0.0001")!)))
        #expect(trade.netPnL == (try (try trade.grossPnL - trade.fees) - trade.funding))
        let none = try run(bars, from: BacktestFixtures.start + 8 * 3_600_000 - 180_000)
        #expect(none.trades.first?.funding == .zero)
    }

    @Test func anEntryWithoutItsMarginIsRefused() throws {
        let result = try run(decided + [("100200", "100500", "99900", "100300")]) {
            $0.balance = Notional("50")!
            $0.leverage = Leverage(rawValue: 1)!
        }
        #expect(result.trades.isEmpty && result.refusedSignals == 1)
    }

    @Test func theEngineTradesTheFilesStepsAndTicks() {
        // The catalog lists SOLUSDT with a step of 1; QT-EMA trades it in 0.01.
        let sol = VenueBacktest.rules(.init(symbol: Symbol(rawValue: "SOLUSDT")!, stepSize: Quantity("0.01")!, tickSize: Price("0.01")!))
        #expect(sol.marketLot.stepSize == Quantity("0.01")! && sol.quantityPrecision == 2 && sol.pricePrecision == 2)
        let other = VenueBacktest.rules(.init(symbol: Symbol(rawValue: "DOGEUSDT")!, stepSize: Quantity("1")!, tickSize: Price("0.00001")!))
        #expect(other.quantityPrecision == 0 && other.pricePrecision == 5 && other.minPrice == Price("0.00001")!)
    }

    @Test func aPositionTheEngineLiquidatesBeforeItsStopSaysSo() throws {
        // A wide bar (ATR 4 000, stop 94 000) and 20 USDT behind a 1 000 USDT long at 100×: the low of 98 000 takes the
        // margin balance under the maintenance margin long before the stop.
        var configuration = configuration()
        configuration.balance = Notional("20")!
        configuration.leverage = Leverage(rawValue: 100)!
        let bars: [(open: String, high: String, low: String, close: String)] = [
            ("99000", "99000", "99000", "99000"), ("99000", "100000", "96000", "100000"), ("100200", "100500", "98000", "100300"),
        ]
        var venue = try VenueBacktest(configuration, series: [columns(bars)])
        try venue.play(progress: nil)
        let trade = try #require(venue.books.first?.trades.first)
        #expect(trade.stop == Price("94000")! && trade.exitReason == .liquidation, "\(venue.books.first?.trades ?? [])")
        #expect(venue.paper.engine.account(VenueBacktest.account)?.positions.values.allSatisfy(\.quantity.isZero) ?? false)
    }
}
