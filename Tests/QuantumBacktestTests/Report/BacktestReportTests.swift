import Foundation
import QuantumBacktest
import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3)))
struct BacktestReportTests {
    func report() throws -> BacktestReport {
        var bars: [(high: String, low: String, close: String)] = []
        for index in 0..<2_000 {
            let close = 100 + 10 * sin(Double(index) / 40) + Double(index) / 100
            bars.append((String(format: "%.2f", close + 0.4), String(format: "%.2f", close - 0.4), String(format: "%.2f", close)))
        }
        let configuration = BacktestConfiguration(markets: [.init(symbol: BacktestFixtures.btc, stepSize: Quantity("0.001")!, tickSize: Price("0.01")!)])
        let result = try Backtest.run(configuration, series: [BacktestFixtures.btc: BacktestFixtures.columns(bars)])
        return BacktestReport(result: result, statistics: BacktestStatistics(result), title: "Test <run> & \"quotes\"")
    }

    @Test func thePageFillsEverySlotWithChartsAndTables() throws {
        let report = try report()
        let html = try report.html()
        #expect(!html.contains("{{"))
        #expect(html.components(separatedBy: "<svg").count == 3)  // equity and drawdown
        #expect(html.contains("<table id=\"trades\">"))
        #expect(html.contains("Test &lt;run&gt; &amp; &quot;quotes&quot;"))
        #expect(!html.contains("Test <run>"))
        let rows = html.components(separatedBy: "<tr>").count - 1
        #expect(rows >= report.result.trades.count)
    }

    @Test func tradesCSVHasOneLineARoundTripWithExactAmounts() throws {
        let report = try report()
        let lines = report.tradesCSV().split(separator: "\n")
        #expect(lines.count == report.result.trades.count + 1)
        #expect(lines.first?.hasPrefix("symbol,direction,quantity,entry_time") == true)
        let first = try #require(report.result.trades.first)
        #expect(lines[1].contains(",\(first.netPnL.description),"))
        #expect(lines[1].contains("T") && lines[1].contains("Z,"))
    }

    @Test func theThreeFilesAreWrittenAndTheSummaryDecodes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = try report()
        try report.write(to: directory)
        for name in ["report.html", "trades.csv", "summary.json"] {
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path), "\(name)")
        }
        let summary = try JSONDecoder().decode(BacktestStatistics.self, from: Data(contentsOf: directory.appendingPathComponent("summary.json")))
        #expect(summary == report.statistics)
    }

    @Test func aTemplateSlotWithoutAValueOrAValueWithoutASlotIsAnError() {
        let template = PageTemplate(text: "<p>{{a}}</p>")
        #expect(throws: BacktestError.self) { try template.filled([:]) }
        #expect(throws: BacktestError.self) { try template.filled(["a": .text("x"), "b": .text("y")]) }
        #expect((try? template.filled(["a": .text("<x>")])) == "<p>&lt;x&gt;</p>")
        #expect(throws: BacktestError.self) { try PageTemplate(text: "{{a").filled([:]) }
    }
}
