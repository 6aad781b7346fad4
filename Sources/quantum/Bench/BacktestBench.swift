import ArgumentParser
import Foundation
import QuantumBacktest
import QuantumCore

/// `quantum bench backtest`: bars per second of the backtest itself, the phase split, and the process's peak memory.
struct BacktestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest speed: CSV loading, the backtest (repeated; bars/s percentiles), statistics and report, and peak RSS.")

    @Option(help: "The configuration file (default: examples/qt-ema.toml).") var config = "examples/qt-ema.toml"
    @Option(help: "Directory of kline CSV files (default: data.dir of the file, else ../shared/data/binance_um_futures/klines_1m).")
    var data: String?
    @Option(help: "Timed repetitions of the backtest.") var repeats = 20
    @Option(help: "How decisions fill: close or venue (the paper exchange's engine); default: the file's run.fills.") var fills: String?
    @Flag(help: "Print the figures as JSON.") var json = false

    func validate() throws {
        guard (1...10_000).contains(repeats) else { throw ValidationError("--repeats must be within 1…10000") }
        if let fills, BacktestConfiguration.Fills(rawValue: fills) == nil { throw ValidationError("--fills must be close or venue, got '\(fills)'") }
    }

    func run() async throws {
        let file = try BacktestConfiguration.load(path: config)
        var configuration = file.configuration
        if let fills { configuration.fills = BacktestConfiguration.Fills(rawValue: fills) ?? configuration.fills }
        let directory = data ?? file.dataDirectory.map { BacktestCommand.resolve($0, relativeTo: config) } ?? "../shared/data/binance_um_futures/klines_1m"
        let clock = ContinuousClock()
        let loadStart = clock.now
        let series = try Backtest.load(configuration, from: URL(fileURLWithPath: directory)).mapValues(\.columns)
        let load = clock.now - loadStart
        let rssAfterLoad = PeakMemory.currentKilobytes()
        var sample = LatencySample()
        var result: BacktestResult?
        for _ in 0..<repeats {
            let started = clock.now
            let run = try Backtest.run(configuration, series: series)
            sample.record(clock.now - started)
            result = run
        }
        guard let result else { return }
        let statsStart = clock.now
        let statistics = BacktestStatistics(result)
        let stats = clock.now - statsStart
        let reportDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("quantum-bench-report-\(getpid())")
        defer { try? FileManager.default.removeItem(at: reportDirectory) }
        let reportStart = clock.now
        try BacktestReport(result: result, statistics: statistics, title: "bench").write(to: reportDirectory)
        let report = clock.now - reportStart
        let bars = result.bars
        let p50 = sample.percentile(50) / 1e6, p90 = sample.percentile(90) / 1e6, best = sample.percentile(0) / 1e6
        let figures: [String: Any] = [
            "bars": bars, "trades": result.trades.count, "repeats": repeats,
            "load_seconds": load.seconds,
            "backtest_seconds_p50": p50, "backtest_seconds_p90": p90, "backtest_seconds_min": best,
            "bars_per_second_p50": Double(bars) / p50, "bars_per_second_p90": Double(bars) / p90,
            "statistics_seconds": stats.seconds, "report_seconds": report.seconds,
            "rss_after_load_mb": Double(rssAfterLoad) / 1024, "peak_rss_mb": Double(PeakMemory.peakKilobytes()) / 1024,
        ]
        if json {
            print(String(decoding: try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys]), as: UTF8.self))
            return
        }
        print("backtest \(config): \(ProgressLine.grouped(bars)) bars, \(result.trades.count) trades, \(repeats) runs")
        print("  load (CSV → columns)   \(BenchFormat.seconds(load)) s")
        print(String(format: "  backtest               p50 %.2f ms  p90 %.2f ms  min %.2f ms", p50 * 1000, p90 * 1000, best * 1000))
        print("  bars/s                 p50 \(ProgressLine.compact(Double(bars) / p50))  p90 \(ProgressLine.compact(Double(bars) / p90))")
        print("  statistics             \(BenchFormat.seconds(stats)) s")
        print("  report (html/csv/json) \(BenchFormat.seconds(report)) s")
        print(String(format: "  RSS after load %.1f MB, peak %.1f MB", Double(rssAfterLoad) / 1024, Double(PeakMemory.peakKilobytes()) / 1024))
    }
}

/// The process's resident memory from `/proc/self/status` (Linux); 0 elsewhere.
enum PeakMemory {
    /// VmHWM: the most resident memory the process has had, in kB.
    static func peakKilobytes() -> Int { field("VmHWM:") }
    /// VmRSS: resident memory now, in kB.
    static func currentKilobytes() -> Int { field("VmRSS:") }

    static func field(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name) })
        else { return 0 }
        return Int(line.dropFirst(name.count).trimmingCharacters(in: .whitespaces).split(separator: " ").first ?? "") ?? 0
    }
}
