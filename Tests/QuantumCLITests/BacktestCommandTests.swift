import Foundation
import QuantumBacktest
import QuantumBus
import QuantumCore
import QuantumTestSupport
import Testing

/// `quantum backtest` and `quantum config check` as a user runs them: the QT-EMA workload end to end with its
/// report looked at in a browser, a sweep, and bad files and data refused with the file and line.
@Suite(.timeLimit(.minutes(3))) struct BacktestCommandTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../examples/qt-ema.toml").standardized.path
    static var klines: String { SharedData.directory.appendingPathComponent("binance_um_futures/klines_1m").path }
    static var hasKlines: Bool { FileManager.default.fileExists(atPath: klines + "/BTCUSDT_1m_20250504-20250603.csv") }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("backtest-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(.enabled(if: hasKlines, "needs ../shared/data"))
    func theWorkloadRunsEndToEndAndItsReportRendersInABrowser() async throws {
        let output = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let run = try await ProductRunner.run("quantum", ["backtest", "--config", Self.example, "--data", Self.klines, "--output", output.path, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let statistics = try #require(json["statistics"] as? [String: Any])
        #expect(statistics["trades"] as? Int == 4_189)
        #expect(json["bars"] as? Int == 215_997)
        let symbols = try #require(statistics["symbols"] as? [[String: Any]])
        #expect(symbols.map { $0["trades"] as? Int ?? 0 } == [831, 843, 801, 861, 853])
        let csv = try String(contentsOf: output.appendingPathComponent("trades.csv"), encoding: .utf8)
        #expect(csv.split(separator: "\n").count == 4_190)
        guard let browser = HeadlessBrowser.find() else { Issue.record("chromium is not installed (scripts/test installs it)"); return }
        let screenshot = output.appendingPathComponent("report.png")
        let dom = try await browser.render("file://" + output.appendingPathComponent("report.html").path, screenshot: screenshot,
                                           until: "document.querySelectorAll('svg.chart path').length === 2 && document.querySelectorAll('#trades tbody tr').length > 4000")
        #expect(dom.contains("BTCUSDT") && dom.contains("XRPUSDT"))
        #expect(dom.contains("Equity (USDT)") && dom.contains("Drawdown"))
        let png = try Data(contentsOf: screenshot)
        #expect(png.count > 20_000, "the screenshot is \(png.count) bytes: a blank page?")
    }

    @Test(.enabled(if: hasKlines, "needs ../shared/data"))
    func aSweepRanksItsGrid() async throws {
        let run = try await ProductRunner.run("quantum", ["backtest", "--config", Self.example, "--data", Self.klines, "--from", "2025-05-05",
                                                          "--to", "2025-05-08", "--sweep", "fast=10..20:10,slow=30|50", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let points = try #require(json["points"] as? [[String: Any]])
        #expect(points.count == 4)
        let nets = points.compactMap { (($0["statistics"] as? [String: Any])?["netPnL"] as? String).flatMap(Double.init) }
        #expect(nets.count == 4 && nets == nets.sorted(by: >))
    }

    @Test func configCheckAcceptsTheExampleAndNamesTheLineOfAMistake() async throws {
        let good = try await ProductRunner.run("quantum", ["config", "check", Self.example])
        #expect(good.status == 0 && good.stdout.contains("ok") && good.stdout.contains("5 symbol(s)"), "\(good.stderr)")
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.toml")
        try Data("[strategy]\nfast = 20\nslow = \"fifty\"\n".utf8).write(to: bad)
        let run = try await ProductRunner.run("quantum", ["config", "check", bad.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("bad.toml:3:") && run.stderr.contains("strategy.slow"), "\(run.stderr)")
    }

    @Test func dataWithAGapIsRefusedNamingTheFileAndLine() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var lines = ["open_time,open,high,low,close,volume"]
        for index in 0..<100 where index != 60 {
            lines.append("\(1_735_689_600_000 + Int64(index) * 60_000),100,101,99,100,1")
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: directory.appendingPathComponent("BTCUSDT_1m_x.csv"))
        let config = directory.appendingPathComponent("bt.toml")
        try Data("[symbols.BTCUSDT]\nstep = \"0.001\"\ntick = \"0.1\"\n".utf8).write(to: config)
        let run = try await ProductRunner.run("quantum", ["backtest", "--config", config.path, "--data", directory.path])
        #expect(run.status != 0)
        #expect(run.stderr.contains("BTCUSDT_1m_x.csv:62:") && run.stderr.contains("missing"), "\(run.stderr)")
    }
}

/// `quantum run --config`: the file that drives a backtest drives a run — its symbols, strategy and leverage.
@Suite(.timeLimit(.minutes(3))) struct RunConfigurationFileTests {
    @Test(.enabled(if: BacktestCommandTests.hasKlines, "needs ../shared/data"))
    func aRunTradesTheStrategySymbolsAndLeverageOfItsFile() async throws {
        let directory = try BacktestCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("fast.toml")
        // Short periods, so the live window (ten slow periods) fills within the first 81 bars of the replay.
        try Data("""
            [run]
            leverage = 3
            [strategy]
            kind = "ema_cross"
            fast = 3
            slow = 8
            atr = 5
            [symbols.ETHUSDT]
            step = "0.001"
            tick = "0.01"
            """.utf8).write(to: config)
        let (run, log) = try await Self.replay(config, speed: "max", duration: "3h", state: directory.appendingPathComponent("state"))
        let plans = try await log.range(StreamName.plan, from: .zero, to: .max, count: 10_000).map(\.fields)
        let opens = plans.filter { ($0["action"] ?? "").hasPrefix("OPEN_") }
        #expect(opens.count >= 3, "\(plans.count) plans")
        #expect(opens.allSatisfy { $0["symbol"] == "ETHUSDT" && $0["strategy"] == "ema_cross" && $0["leverage"] == "3" },
                "\(opens.prefix(3))")
        try await Self.expectTheBacktestDecidesAlike(config: config, log: log, context: run.stderr)
    }

    /// `quantum run --config` replaying the shared klines into `state`, with the loss-streak and churn breakers out of the
    /// way; the run is expected to succeed. Returns it with its event log.
    static func replay(_ config: URL, speed: String, duration: String, state: URL) async throws
        -> (run: (status: Int32, stdout: String, stderr: String), log: SQLiteEventLog) {
        let run = try await ProductRunner.run("quantum", [
            "run", "--config", config.path, "--data", BacktestCommandTests.klines, "--speed", speed, "--duration", duration,
            "--state", state.path, "--progress-every", "0", "--max-consecutive-losses", "1000", "--churn-limit", "1000",
            // A port of its own: the default 8080 belongs to the tests that check it is taken.
            "--dashboard-port", "0",
            // The suite's other tests load the machine: the market waits for every bar however long that takes, or a
            // plan could meet a market that moved on (the comparisons need every bar handled where it closed).
            "--pace-wait", "60s",
        ])
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        #expect(run.stdout.contains("(0 not caught up"), "a bar the system did not catch up with: \(run.stdout.suffix(1500))")
        return (run, SQLiteEventLog(database: try SQLiteDatabase(path: state.appendingPathComponent("quantum.sqlite").path)))
    }

    /// Every signal the live run sent (`trade.intent`) is a cross the backtest of the same file makes on the same bar,
    /// in the same direction at the same price, and between the first and the last of them the backtest has no other.
    ///
    /// The replay is shifted to start at the run's start; the shift is read off the first intent.
    static func expectTheBacktestDecidesAlike(config: URL, log: SQLiteEventLog, context: String) async throws {
        let intents = try await log.range(StreamName.tradeIntent, from: .zero, to: .max, count: 100_000).map(\.fields).compactMap {
            fields -> (bar: Int64, direction: String, price: Price)? in
            guard let id = fields["intent_id"], let bar = id.split(separator: ":").last.flatMap({ Int64($0) }),
                  let action = fields["action"], let price = fields["reference_price"].flatMap(Price.init) else { return nil }
            return (bar, action == "OPEN_LONG" ? "LONG" : "SHORT", price)
        }.sorted { $0.bar < $1.bar }
        #expect(intents.count >= 5, "\(intents.count) intents")
        guard let first = intents.first, let last = intents.last else { return }
        var configuration = try BacktestConfiguration.load(path: config.path).configuration
        configuration.window.firstDays = 1
        let series = try Backtest.load(configuration, from: URL(fileURLWithPath: BacktestCommandTests.klines))
        let signals = try #require(try Backtest.run(configuration, series: series.mapValues(\.columns)).symbols.first).signals
        let window = try EMACrossStrategy(configuration.strategy).barsNeeded
        let start = try #require(series.values.first?.columns.openTimes.first)
        // The backtest's crosses from the bar where the live window is full, as (bar close, direction, price).
        let crosses = signals.filter { $0.openTime >= start + Int64(window - 1) * 60_000 }
            .map { (bar: $0.openTime + 59_999, direction: $0.direction.rawValue, price: $0.close) }
        guard let anchor = crosses.first(where: { $0.direction == first.direction && $0.price == first.price }) else {
            Issue.record("the first live signal \(first) is no cross of the backtest; live \(intents.prefix(6).map { ($0.direction, $0.price.description) }), backtest \(crosses.prefix(12).map { ($0.direction, $0.price.description) })")
            return
        }
        let shift = first.bar - anchor.bar
        let expected = crosses.filter { $0.bar >= anchor.bar && $0.bar <= last.bar - shift }
        let notes = context.split(separator: "\n").filter { $0.contains("reconnect") || $0.contains("backfill") || $0.contains("warning") }.suffix(20)
        #expect(expected.map(\.bar) == intents.map { $0.bar - shift }, "bars of the backtest's crosses and the live signals; run: \(notes)")
        #expect(expected.map(\.direction) == intents.map(\.direction))
        #expect(expected.map(\.price) == intents.map(\.price))
    }

    @Test(.enabled(if: BacktestCommandTests.hasKlines, "needs ../shared/data"))
    func theStrategiesAreWarmFromTheExchangesHistorySoSignalsComeInTheFirstMinutes() async throws {
        let directory = try BacktestCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("fast.toml")
        // The live window is 81 bars; without history no signal could come in the first 30 minutes.
        try Data("[strategy]\nfast = 3\nslow = 8\n[symbols.ETHUSDT]\nstep = \"0.001\"\ntick = \"0.01\"\n".utf8).write(to: config)
        let state = directory.appendingPathComponent("state")
        let run = try await ProductRunner.run("quantum", [
            "run", "--config", config.path, "--data", BacktestCommandTests.klines, "--speed", "max", "--duration", "30m",
            "--state", state.path, "--progress-every", "0", "--dashboard-port", "0",
        ])
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        let log = SQLiteEventLog(database: try SQLiteDatabase(path: state.appendingPathComponent("quantum.sqlite").path))
        let intents = try await log.range(StreamName.tradeIntent, from: .zero, to: .max, count: 10_000)
        #expect(!intents.isEmpty, "no signal in the first 30 minutes: the strategies were not warmed from the exchange's klines")
    }

    @Test func aRunRefusesAFileWithAMistakeNamingItsLine() async throws {
        let directory = try BacktestCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("bad.toml")
        try Data("[symbols.BTCUSDT]\nstep = \"0.001\"\ntick = \"0.1\"\n[run]\nleverage = 500\n".utf8).write(to: config)
        let run = try await ProductRunner.run("quantum", ["run", "--config", config.path, "--duration", "1m", "--dashboard-port", "0"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("bad.toml:5:") && run.stderr.contains("1…125"), "\(run.stderr)")
    }
}
