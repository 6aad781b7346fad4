@testable import QuantumBacktest
import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3)))
struct BacktestStatisticsTests {
    /// Two days of bars: a win of +30, then a loss of −10, written straight into a result.
    func result() -> BacktestResult {
        let day = 1440
        var pnl = [Double](repeating: 0, count: 2 * day)
        for index in 100..<(2 * day) { pnl[index] = 30 }
        for index in (day + 100)..<(2 * day) { pnl[index] = 20 }
        for index in 50..<100 { pnl[index] = -15 }  // a dip below the start while the first trade is open
        func trade(_ net: String, _ risk: String, _ reason: BacktestExit, exit: Int) -> BacktestTrade {
            BacktestTrade(symbol: BacktestFixtures.btc, direction: .long, quantity: Quantity("1")!, entryTime: EpochMillis(BacktestFixtures.start),
                          entryPrice: Price("100")!, stop: Price("90")!, target: Price("130")!,
                          exitTime: EpochMillis(BacktestFixtures.start + Int64(exit) * 60_000), exitPrice: Price("100")!, exitReason: reason,
                          grossPnL: Notional(net)!, fees: Notional("1")!, netPnL: Notional(net)!, risk: Notional(risk)!, barsHeld: 10)
        }
        var configuration = BacktestConfiguration(markets: [BacktestFixtures.btcMarket])
        configuration.balance = Notional("1000")!
        let symbol = SymbolResult(symbol: BacktestFixtures.btc, interval: .oneMinute, firstOpenTime: BacktestFixtures.start, bars: 2 * day,
                                  trades: [trade("30", "10", .target, exit: 100), trade("-10", "10", .stop, exit: day + 100)],
                                  cumulativePnL: pnl, exposedBars: 200, refusedSignals: 0)
        return BacktestResult(configuration: configuration, symbols: [symbol])
    }

    @Test func tradeFiguresComeFromTheRoundTrips() {
        let s = BacktestStatistics(result())
        #expect(s.trades == 2 && s.winRate == 0.5)
        #expect(s.netPnL == "20.00" && s.finalEquity == "1020.00" && s.feesPaid == "2.00")
        #expect(s.profitFactor == 3)
        #expect(s.expectancy == 10)
        #expect(s.averageR == 1)  // (+3 R − 1 R) / 2
        #expect(s.exits["target"] == 1 && s.exits["stop"] == 1 && s.exits["cross"] == 0)
        #expect(abs(s.totalReturn - 0.02) < 1e-12)
        #expect(abs(s.exposure - 200.0 / 2880) < 1e-12)
    }

    @Test func drawdownIsTheDeepestFallFromAPeakAndItsLongestStay() {
        let s = BacktestStatistics(result())
        // Peak 1030 → 1020 is 0.97 %; the dip to 985 from the 1000 start is 1.5 %.
        #expect(abs(s.maxDrawdown - 0.015) < 1e-12)
        // Below the peak of 1030 from bar 1540 to the end: 1340 bars.
        #expect(abs(s.maxDrawdownHours - 1340.0 / 60) < 1e-9)
    }

    @Test func dailyAndMonthlyReturnsFollowTheUTCCalendar() {
        let s = BacktestStatistics(result())
        #expect(s.monthly.count == 1 && s.monthly.first?.month == "2025-01")
        #expect(abs((s.monthly.first?.returnFraction ?? 0) - 0.02) < 1e-12)
        // Two daily returns (+3 %, −0.97 %): a Sharpe and a Sortino exist.
        #expect(s.sharpe != nil && s.sortino != nil)
    }
}
