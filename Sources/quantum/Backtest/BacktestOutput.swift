import Foundation
import QuantumBacktest
import QuantumCore

/// `quantum backtest --json`: the statistics, the timing, and where the report went.
struct BacktestOutput: Encodable {
    var statistics: BacktestStatistics
    var timing: Timing
    var output: String?

    func json() throws -> String {
        var object: [String: Any] = [:]
        object["statistics"] = try JSONSerialization.jsonObject(with: JSONEncoder().encode(statistics))
        object["load_seconds"] = timing.loadSeconds
        object["backtest_seconds"] = timing.backtestSeconds
        object["bars"] = timing.bars
        object["bars_per_second"] = timing.barsPerSecond
        if let output { object["output"] = output }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}

/// `quantum backtest --sweep … --json`: every point in rank order.
struct SweepOutput {
    var points: [SweepRun.Point]
    var skipped: Int
    var seconds: Double
    var rank: String

    func json() throws -> String {
        let rows: [[String: Any]] = try points.map { point in
            [
                "fast": point.strategy.fast, "slow": point.strategy.slow, "atr": point.strategy.atrPeriod,
                "stop_atr": point.strategy.stopATR, "target_atr": point.strategy.targetATR,
                "statistics": try JSONSerialization.jsonObject(with: JSONEncoder().encode(point.statistics)),
            ]
        }
        let object: [String: Any] = ["points": rows, "skipped": skipped, "seconds": seconds, "rank": rank]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }
}
