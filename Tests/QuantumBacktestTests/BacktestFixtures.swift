import Foundation
import QuantumBacktest
import QuantumCore
import QuantumTestSupport

/// Bars, markets and temporary data directories for the backtest tests.
enum BacktestFixtures {
    static let btc = Symbol(rawValue: "BTCUSDT")!
    /// 2025-01-01 00:00 UTC.
    static let start: Int64 = 1_735_689_600_000

    static let btcMarket = BacktestConfiguration.Market(symbol: btc, stepSize: Quantity("0.001")!, tickSize: Price("0.1")!)

    /// The QT-EMA markets (steps and ticks of the reference workload).
    static let qtEMAMarkets: [BacktestConfiguration.Market] = [
        ("BTCUSDT", "0.001", "0.1"), ("ETHUSDT", "0.001", "0.01"), ("SOLUSDT", "0.01", "0.01"), ("BNBUSDT", "0.01", "0.01"),
        ("XRPUSDT", "0.1", "0.0001"),
    ].map { .init(symbol: Symbol(rawValue: $0.0)!, stepSize: Quantity($0.1)!, tickSize: Price($0.2)!) }

    /// The directory of the real 1-minute klines, when present.
    static var klineDirectory: URL { SharedData.directory.appendingPathComponent("binance_um_futures/klines_1m") }
    static var hasKlines: Bool {
        FileManager.default.fileExists(atPath: klineDirectory.appendingPathComponent("BTCUSDT_1m_20250504-20250603.csv").path)
    }

    /// Columns from (high, low, close) triples, one minute apart; each bar opens at the previous close.
    static func columns(_ bars: [(high: String, low: String, close: String)], symbol: Symbol = btc) -> BarColumns {
        var columns = BarColumns(symbol: symbol, interval: .oneMinute)
        for (index, bar) in bars.enumerated() {
            let close = Price(bar.close)!.units
            let open = index == 0 ? close : Price(bars[index - 1].close)!.units
            columns.append(openTime: start + Int64(index) * 60_000, open: open, high: Price(bar.high)!.units, low: Price(bar.low)!.units, close: close)
        }
        return columns
    }

    /// A fresh temporary directory with the given files (name → text).
    static func directory(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("backtest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: url.appendingPathComponent(name)) }
        return url
    }

    /// CSV text of `count` one-minute bars from `start`, closes rising by 1 from 100.
    static func csv(count: Int, from first: Int64 = start, skipping: Set<Int> = []) -> String {
        var lines = ["open_time,open,high,low,close,volume"]
        for index in 0..<count where !skipping.contains(index) {
            let price = 100 + index
            lines.append("\(first + Int64(index) * 60_000),\(price),\(price + 1),\(price - 1),\(price),1.5")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
