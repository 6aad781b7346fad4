import Foundation
import QuantumBacktest
import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3)))
struct SweepGridTests {
    @Test func rangesAndListsMakeEveryCombination() throws {
        let grid = try SweepGrid(parsing: "fast=10..30:5,slow=40..80:10")
        #expect(grid.axes.map(\.values) == [[10, 15, 20, 25, 30], [40, 50, 60, 70, 80]])
        let points = grid.configurations(from: EMACross.Configuration())
        #expect(points.count == 25 && points.first?.fast == 10 && points.first?.slow == 40 && points.last?.slow == 80)
        let list = try SweepGrid(parsing: "stop_atr=1|1.5|2")
        #expect(list.axes.first?.values == [1, 1.5, 2])
    }

    @Test func badAxesAreRefusedByName() {
        for text in ["fats=1..3", "fast=3..1", "fast=1.5..3", "fast", "fast=1..3,fast=2..4", "fast=0..3", "fast=1..100000:1,slow=1..100000:1"] {
            #expect(throws: BacktestError.self, "\(text)") { try SweepGrid(parsing: text) }
        }
    }

    @Test func aSweepRanksItsPointsAndSkipsImpossibleOnes() async throws {
        var bars: [(high: String, low: String, close: String)] = []
        for index in 0..<600 {
            let close = 100 + 10 * sin(Double(index) / 15)
            bars.append((String(format: "%.2f", close + 0.5), String(format: "%.2f", close - 0.5), String(format: "%.2f", close)))
        }
        var configuration = BacktestConfiguration(markets: [.init(symbol: BacktestFixtures.btc, stepSize: Quantity("0.001")!, tickSize: Price("0.01")!)])
        configuration.strategy.warmUp = 30
        let grid = try SweepGrid(parsing: "fast=5..25:10,slow=10..20:10")
        let (points, skipped) = try await SweepRun.run(configuration, grid: grid, series: [BacktestFixtures.btc: BacktestFixtures.columns(bars)],
                                                       ranking: .netPnL, jobs: 2)
        #expect(skipped == 3)  // (15,10), (25,10), (25,20)
        #expect(points.count == 3)
        let nets = points.map { Double($0.statistics.netPnL)! }
        #expect(nets == nets.sorted(by: >))
        #expect(points.allSatisfy { $0.statistics.trades > 0 })
    }
}
