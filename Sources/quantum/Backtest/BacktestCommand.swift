import ArgumentParser
import Foundation
import QuantumBacktest
import QuantumCore

/// `quantum backtest`: the EMA-cross kernel and exact fill booking over kline files, with a report or a parameter sweep.
struct BacktestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest a strategy configuration on kline CSV files and write a report.",
        discussion: """
            Reads SYMBOL_1m_*.csv files (open_time,open,high,low,close,volume) for every [symbols.NAME] of the \
            configuration, runs the live EMA-cross kernel bar by bar with exact fills and fees, and prints the \
            figures. --output writes report.html, trades.csv and summary.json. --sweep runs a parameter grid on \
            every core and prints it ranked. Example: quantum backtest --config examples/qt-ema.toml \
            --data ../shared/data/binance_um_futures/klines_1m --output report
            """)

    @Option(help: "The configuration file (TOML; see examples/qt-ema.toml).") var config: String
    @Option(help: "Directory of kline CSV files (overrides data.dir of the file).") var data: String?
    @Option(help: "First UTC date or time to use, e.g. 2025-05-04 or 2025-05-04T15:30 (overrides data.from).") var from: String?
    @Option(help: "UTC date or time where the data stops, exclusive (overrides data.to).") var to: String?
    @Option(help: "Write report.html, trades.csv and summary.json into this directory.") var output: String?
    @Option(help: "Run a grid instead, e.g. fast=10..30:5,slow=40..80:10 (parameters: fast, slow, atr, stop_atr, target_atr).")
    var sweep: String?
    @Option(help: "Rank sweep points by net_pnl, sharpe, profit_factor or max_drawdown.") var rank = "net_pnl"
    @Option(help: "Sweep points run at once (default: the machine's cores).") var jobs: Int?
    @Option(help: "Sweep rows printed.") var top = 20
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        if let from, BacktestTime.parse(from) == nil { throw ValidationError("--from '\(from)' is not a UTC date such as 2025-05-04 or 2025-05-04T15:30") }
        if let to, BacktestTime.parse(to) == nil { throw ValidationError("--to '\(to)' is not a UTC date such as 2025-05-04 or 2025-05-04T15:30") }
        guard SweepRun.Ranking(rawValue: rank) != nil else {
            throw ValidationError("--rank must be one of " + SweepRun.Ranking.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if let jobs, !(1...256).contains(jobs) { throw ValidationError("--jobs must be within 1…256, got \(jobs)") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
        if sweep != nil, output != nil { throw ValidationError("--output writes one run's report; it cannot be combined with --sweep") }
    }

    func run() async throws {
        let (configuration, directory) = try loadConfiguration()
        let loadStarted = ContinuousClock.now
        let series = try Backtest.load(configuration, from: directory).mapValues(\.columns)
        let loadTime = ContinuousClock.now - loadStarted
        if let sweep {
            try await runSweep(sweep, configuration: configuration, series: series)
            return
        }
        let total = series.values.reduce(0) { $0 + $1.count }
        let progress = TerminalProgress(total: total, enabled: !json)
        let started = ContinuousClock.now
        var report: (@Sendable (Int) -> Void)?
        if progress.enabled { report = { @Sendable bars in progress.advance(bars) } }
        let result = try Backtest.run(configuration, series: series, progress: report)
        let runTime = ContinuousClock.now - started
        progress.finish()
        let statistics = BacktestStatistics(result)
        if let output {
            try BacktestReport(result: result, statistics: statistics, title: "Backtest · \(URL(fileURLWithPath: config).lastPathComponent)")
                .write(to: URL(fileURLWithPath: output))
        }
        let timing = Timing(loadSeconds: loadTime.seconds, backtestSeconds: runTime.seconds, bars: result.bars)
        if json {
            print(try BacktestOutput(statistics: statistics, timing: timing, output: output).json())
        } else {
            BacktestPrinter.print(statistics, timing: timing, output: output)
        }
    }

    /// The file's configuration with the command line's overrides, and the data directory to read.
    func loadConfiguration() throws -> (BacktestConfiguration, URL) {
        let file = try BacktestConfiguration.load(path: config)
        var configuration = file.configuration
        if let from { configuration.window.from = BacktestTime.parse(from) }
        if let to { configuration.window.to = BacktestTime.parse(to) }
        guard let directory = data ?? file.dataDirectory.map({ Self.resolve($0, relativeTo: config) }) else {
            throw ValidationError("no data directory: pass --data DIR or set dir in the [data] table of \(config)")
        }
        return (configuration, URL(fileURLWithPath: directory))
    }

    /// A path from a configuration file, taken relative to the file's directory unless absolute.
    static func resolve(_ path: String, relativeTo file: String) -> String {
        path.hasPrefix("/") ? path : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(path).path
    }

    func runSweep(_ text: String, configuration: BacktestConfiguration, series: [Symbol: BarColumns]) async throws {
        let grid = try SweepGrid(parsing: text)
        let jobs = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        let started = ContinuousClock.now
        let (points, skipped) = try await SweepRun.run(configuration, grid: grid, series: series, ranking: SweepRun.Ranking(rawValue: rank)!, jobs: jobs)
        let seconds = (ContinuousClock.now - started).seconds
        if json {
            print(try SweepOutput(points: points, skipped: skipped, seconds: seconds, rank: rank).json())
        } else {
            SweepPrinter.print(points, grid: grid, skipped: skipped, seconds: seconds, top: top, rank: rank)
        }
    }
}

/// How long loading and the backtest took.
struct Timing: Codable {
    var loadSeconds: Double
    var backtestSeconds: Double
    var bars: Int
    var barsPerSecond: Double { backtestSeconds > 0 ? Double(bars) / backtestSeconds : 0 }
}
