import Foundation
import QuantumBacktest
import QuantumCore

/// The backtest's figures on a terminal: key statistics, then one line per symbol.
enum BacktestPrinter {
    static func print(_ s: BacktestStatistics, timing: Timing, output: String?) {
        func number(_ value: Double?, _ format: String = "%.2f") -> String { value.map { String(format: format, $0) } ?? "–" }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f%%", $0 * 100) } ?? "–" }
        let lines: [(String, String)] = [
            ("net PnL", "\(s.netPnL) USDT (fees \(s.feesPaid))"), ("total return", percent(s.totalReturn)), ("CAGR", percent(s.cagr)),
            ("Sharpe / Sortino", "\(number(s.sharpe)) / \(number(s.sortino))"),
            ("max drawdown", "\(percent(s.maxDrawdown)) over \(String(format: "%.1f", s.maxDrawdownHours)) h"),
            ("trades", "\(s.trades) (win rate \(percent(s.winRate)), profit factor \(number(s.profitFactor)))"),
            ("expectancy", "\(number(s.expectancy)) USDT, average R \(number(s.averageR))"),
            ("exits", BacktestExit.allCases.map { "\($0.rawValue) \(s.exits[$0.rawValue] ?? 0)" }.joined(separator: ", ")),
            ("exposure", percent(s.exposure)),
            ("speed", "\(ProgressLine.grouped(timing.bars)) bars in \(String(format: "%.3f", timing.backtestSeconds)) s = "
                + "\(ProgressLine.compact(timing.barsPerSecond)) bars/s (loading \(String(format: "%.2f", timing.loadSeconds)) s)"),
        ]
        for (label, value) in lines { Swift.print(label.padding(toLength: 18, withPad: " ", startingAt: 0) + value) }
        Swift.print("")
        Swift.print(row(["symbol", "bars", "trades", "wins", "net PnL", "fees", "stop", "target", "cross", "end"]))
        for line in s.symbols {
            Swift.print(row([line.symbol, String(line.bars), String(line.trades), String(line.wins), line.netPnL, line.fees,
                             String(line.exits["stop"] ?? 0), String(line.exits["target"] ?? 0), String(line.exits["cross"] ?? 0),
                             String(line.exits["end_of_data"] ?? 0)]))
        }
        if let output { Swift.print("\nreport: \(output)/report.html, \(output)/trades.csv, \(output)/summary.json") }
    }

    static func row(_ cells: [String]) -> String {
        cells.enumerated().map { index, cell in
            index == 0 ? cell.padding(toLength: 10, withPad: " ", startingAt: 0) : String(repeating: " ", count: max(0, 11 - cell.count)) + cell
        }.joined()
    }
}

/// The ranked sweep on a terminal.
enum SweepPrinter {
    static func print(_ points: [SweepRun.Point], grid: SweepGrid, skipped: Int, seconds: Double, top: Int, rank: String) {
        Swift.print("\(points.count) points in \(String(format: "%.2f", seconds)) s\(skipped > 0 ? " (\(skipped) skipped: fast ≥ slow)" : ""), ranked by \(rank)")
        let names = grid.axes.map(\.parameter.rawValue)
        Swift.print(BacktestPrinter.row(["rank"] + names + ["trades", "net PnL", "win", "PF", "Sharpe", "max DD"]))
        for (index, point) in points.prefix(top).enumerated() {
            let values = grid.axes.map { axis in Self.value(axis.parameter, of: point.strategy) }
            let s = point.statistics
            let win: String = s.winRate.map { String(format: "%.1f%%", $0 * 100) } ?? "–"
            let factor: String = s.profitFactor.map { String(format: "%.2f", $0) } ?? "–"
            let sharpe: String = s.sharpe.map { String(format: "%.2f", $0) } ?? "–"
            let figures: [String] = [String(s.trades), s.netPnL, win, factor, sharpe, String(format: "%.2f%%", s.maxDrawdown * 100)]
            Swift.print(BacktestPrinter.row([String(index + 1)] + values + figures))
        }
    }

    static func value(_ parameter: SweepGrid.Parameter, of strategy: EMACross.Configuration) -> String {
        switch parameter {
        case .fast: String(strategy.fast)
        case .slow: String(strategy.slow)
        case .atr: String(strategy.atrPeriod)
        case .stopATR: String(strategy.stopATR)
        case .targetATR: String(strategy.targetATR)
        }
    }
}
