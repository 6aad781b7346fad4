@testable import QuantumBacktest
import QuantumCore
import QuantumSim
import Testing

/// The fill rules on hand-made bars: a cross on bar 2 of a tiny warm-up, then stops, targets and crosses.
@Suite(.timeLimit(.minutes(3)))
struct SymbolBacktestTests {
    /// EMA 1/2 with warm-up 1: the fast average is the close, so a close above the slow average crosses up at once.
    func configuration() -> BacktestConfiguration {
        var configuration = BacktestConfiguration(markets: [BacktestFixtures.btcMarket])
        configuration.strategy.fast = 1
        configuration.strategy.slow = 2
        configuration.strategy.atrPeriod = 1
        configuration.strategy.warmUp = 1
        return configuration
    }

    func run(_ bars: [(high: String, low: String, close: String)], _ configuration: BacktestConfiguration? = nil) throws -> SymbolResult {
        let configuration = configuration ?? self.configuration()
        let result = try Backtest.run(configuration, series: [BacktestFixtures.btc: BacktestFixtures.columns(bars)])
        return try #require(result.symbols.first)
    }

    @Test func aLongIsStoppedAtItsLevelWhenABarTouchesBothStopAndTarget() throws {
        // Bar 1 closes up at 100 000 with an ATR of 1 000 (range 99 000…100 000): stop 98 500, target 103 000.
        let result = try run([("99000", "99000", "99000"), ("100000", "99000", "100000"), ("104000", "98000", "100500")])
        let trade = try #require(result.trades.first)
        #expect(result.trades.count == 1)
        #expect(trade.direction == .long && trade.entryPrice == Price("100000")!)
        #expect(trade.exitReason == .stop && trade.exitPrice == trade.stop)
        #expect(trade.quantity == Quantity("0.01")!)  // 1000 / 100 000
    }

    @Test func aTargetFillsAtItsLevelAndFeesAreThePaperExchangesToTheUnit() throws {
        let result = try run([("99000", "99000", "99000"), ("100000", "99000", "100000"), ("104000", "99500", "103500")])
        let trade = try #require(result.trades.first)
        #expect(trade.exitReason == .target && trade.exitPrice == trade.target)
        let rate = Ratio(units: 50_000)
        let entryFee = try FillCost(price: trade.entryPrice, quantity: trade.quantity, rate: rate).commission
        let exitFee = try FillCost(price: trade.exitPrice, quantity: trade.quantity, rate: rate).commission
        #expect(trade.fees == (try entryFee + exitFee))
        let gross = try (try trade.exitPrice - trade.entryPrice).notional(of: trade.quantity, rounding: .towardZero)
        #expect(trade.grossPnL == gross)
        #expect(trade.netPnL == (try gross - trade.fees))
        #expect(trade.rMultiple > 1.9)
    }

    @Test func aPositionOpenWhenTheDataEndsIsClosedAtTheLastClose() throws {
        let result = try run([("99000", "99000", "99000"), ("100000", "90000", "100000"), ("100100", "99900", "100000")])
        #expect(result.trades.count == 1)
        #expect(result.trades.first?.exitReason == .endOfData)
    }

    @Test func anOppositeCrossClosesAtTheCloseWithoutReversing() throws {
        // Up-cross on bar 1, then a close far below the slow average on bar 2 (inside the stop: wide ATR).
        let bars: [(high: String, low: String, close: String)] = [
            ("99000", "99000", "99000"), ("110000", "90000", "100000"), ("100000", "96000", "96100"), ("96200", "96000", "96100"),
        ]
        let result = try run(bars)
        let first = try #require(result.trades.first)
        #expect(first.exitReason == .cross && first.exitPrice == Price("96100")!)
        // No short opened on that bar; the flat bar after it does not cross again.
        #expect(result.trades.count == 1)
    }

    @Test func aSignalNoMarginCanCarryIsRefusedAndCounted() throws {
        var configuration = configuration()
        configuration.balance = Notional("50")!  // 1000 USDT at 10x needs 100 of margin
        let result = try run([("99000", "99000", "99000"), ("100000", "99000", "100000"), ("100100", "99900", "100000")], configuration)
        #expect(result.trades.isEmpty)
        #expect(result.refusedSignals == 1)
    }
}

extension SymbolBacktestTests {
    @Test func aShortWhoseTargetWouldBeBelowZeroIsRefused() throws {
        // A cross down at 100 with an ATR of 60: the target 100 − 3 × 60 is negative, so no short is opened.
        var configuration = configuration()
        configuration.markets = [.init(symbol: BacktestFixtures.btc, stepSize: Quantity("0.001")!, tickSize: Price("0.01")!)]
        let result = try run([("101", "101", "101"), ("140", "80", "100"), ("100.5", "99.5", "100")], configuration)
        #expect(result.trades.isEmpty)
        #expect(result.refusedSignals == 1)
    }
}

extension SymbolBacktestTests {
    /// A long entered at 100 000 (stop 98 500), then a bar that opens at 98 000, below the stop.
    static let gapThroughTheStop: [(high: String, low: String, close: String)] = [
        ("99000", "99000", "99000"), ("100000", "99000", "100000"), ("98000", "97500", "98000"),
    ]

    @Test func aBarOpeningBeyondTheStopFillsAtTheLevelOrAtTheOpenAsConfigured() throws {
        // The fixture's bars open at the previous close, so make the third bar open at its own gapped price.
        var columns = BacktestFixtures.columns(Self.gapThroughTheStop)
        var gapped = BarColumns(symbol: columns.symbol, interval: columns.interval)
        for index in 0..<columns.count {
            gapped.append(openTime: columns.openTimes[index], open: index == 2 ? Price("98000")!.units : columns.opens[index],
                          high: columns.highs[index], low: columns.lows[index], close: columns.closes[index])
        }
        columns = gapped
        var configuration = configuration()
        let atLevel = try #require(try Backtest.run(configuration, series: [BacktestFixtures.btc: columns]).symbols.first?.trades.first)
        #expect(atLevel.exitReason == .stop && atLevel.exitPrice == Price("98500")!)
        configuration.protectiveFill = .gap
        let atOpen = try #require(try Backtest.run(configuration, series: [BacktestFixtures.btc: columns]).symbols.first?.trades.first)
        #expect(atOpen.exitReason == .stop && atOpen.exitPrice == Price("98000")!)
        #expect(atOpen.netPnL < atLevel.netPnL)
    }
}
