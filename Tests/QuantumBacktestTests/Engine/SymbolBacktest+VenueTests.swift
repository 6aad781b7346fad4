@testable import QuantumBacktest
import QuantumCore
import QuantumSim
import Testing

/// `run.fills = "venue"` on hand-made bars: fills at the next open across the spread, the stop on the bar's path, the
/// target at the close, and a stop on the tick that closes a bar settled before that bar's cross.
@Suite(.timeLimit(.minutes(3)))
struct SymbolBacktestVenueTests {
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

    func run(_ bars: [(open: String, high: String, low: String, close: String)], exitOnCross: Bool = true) throws -> SymbolResult {
        var columns = BarColumns(symbol: BacktestFixtures.btc, interval: .oneMinute)
        for (index, bar) in bars.enumerated() {
            columns.append(openTime: BacktestFixtures.start + Int64(index) * 60_000, open: Price(bar.open)!.units, high: Price(bar.high)!.units,
                           low: Price(bar.low)!.units, close: Price(bar.close)!.units)
        }
        let result = try Backtest.run(configuration(exitOnCross: exitOnCross), series: [BacktestFixtures.btc: columns])
        return try #require(result.symbols.first)
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
}
