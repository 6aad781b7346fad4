import Foundation
import QuantumCore

/// Writes a backtest's report files: `report.html` (one self-contained page), `trades.csv` and `summary.json`.
public struct BacktestReport: Sendable {
    public var result: BacktestResult
    public var statistics: BacktestStatistics
    /// The page's heading (the configuration file's name, say).
    public var title: String

    public init(result: BacktestResult, statistics: BacktestStatistics, title: String) {
        self.result = result
        self.statistics = statistics
        self.title = title
    }

    /// Writes the three files into `directory`, creating it if needed.
    public func write(to directory: URL) throws(BacktestError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(try html().utf8).write(to: directory.appendingPathComponent("report.html"))
            try Data(tradesCSV().utf8).write(to: directory.appendingPathComponent("trades.csv"))
            try summaryJSON().write(to: directory.appendingPathComponent("summary.json"))
        } catch let error as BacktestError {
            throw error
        } catch {
            throw BacktestError(.output, "cannot write the report into \(directory.path): \(error.localizedDescription)")
        }
    }

    /// The trade list as CSV, one round trip a line, exact decimals.
    public func tradesCSV() -> String {
        var lines = ["symbol,direction,quantity,entry_time,entry_price,stop,target,exit_time,exit_price,exit_reason,gross_pnl,fees,funding,net_pnl,r,bars_held"]
        lines.reserveCapacity(result.symbols.reduce(1) { $0 + $1.trades.count })
        for trade in result.trades {
            lines.append([
                trade.symbol.rawValue, trade.direction.rawValue, trade.quantity.description, Self.isoTime(trade.entryTime.rawValue),
                trade.entryPrice.description, trade.stop.description, trade.target.description, Self.isoTime(trade.exitTime.rawValue),
                trade.exitPrice.description, trade.exitReason.rawValue, trade.grossPnL.description, trade.fees.description,
                trade.funding.description, trade.netPnL.description, String(format: "%.4f", trade.rMultiple), String(trade.barsHeld),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The statistics as JSON (sorted keys, exact amounts as strings).
    public func summaryJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(statistics)
    }

    /// The page: cards of the key figures, equity and drawdown charts, tables of symbols, months, exits and trades.
    public func html() throws(BacktestError) -> String {
        let curve = result.equityCurve
        var equity = SVGChart()
        equity.format = { String(format: "%.0f", $0) }
        equity.xLabel = { Self.isoDay(Int64($0)) }
        var drawdown = SVGChart()
        drawdown.style = .areaFromTop
        drawdown.seriesClass = "drawdown"
        drawdown.format = { String(format: "%.2f%%", $0 * 100) }
        drawdown.xLabel = equity.xLabel
        let equityPoints = curve.sampled(curve.values, limit: 1200).map { (x: Double(curve.time(at: $0.index)), y: $0.value) }
        let drawdownPoints = curve.sampled(curve.drawdowns, limit: 1200).map { (x: Double(curve.time(at: $0.index)), y: -$0.value) }
        let first = curve.values.isEmpty ? "" : Self.isoDay(curve.start)
        let last = curve.values.isEmpty ? "" : Self.isoDay(curve.time(at: curve.values.count - 1))
        let symbols = result.configuration.markets.map(\.symbol.rawValue).joined(separator: ", ")
        return try PageTemplate.report.filled([
            "title": .text(title),
            "subtitle": .text("\(symbols) · \(first) → \(last) · \(statistics.bars) bars · \(result.configuration.strategy.summary)"),
            "cards": cards(),
            "equity_chart": equity.render(equityPoints, title: "Equity (USDT)"),
            "drawdown_chart": drawdown.render(drawdownPoints, title: "Drawdown"),
            "symbols_table": symbolsTable(),
            "monthly_table": Self.table(["Month", "Return"], statistics.monthly.map { [$0.month, Self.percent($0.returnFraction)] }),
            "exits_table": Self.table(["Reason", "Trades"], BacktestExit.allCases.map { [$0.rawValue, String(statistics.exits[$0.rawValue] ?? 0)] }),
            "trades_table": tradesTable(),
            "footer": .text("Quantum Trader backtest · fee \(result.configuration.feeRate.formatted(decimals: 4)) per fill · "
                + "\(result.configuration.leverage) · \(result.configuration.notionalPerTrade.formatted(decimals: 0)) USDT per trade"),
        ])
    }

    func cards() -> Markup {
        let s = statistics
        let figures: [(String, String)] = [
            ("Net PnL (USDT)", s.netPnL), ("Total return", Self.percent(s.totalReturn)), ("CAGR", s.cagr.map(Self.percent) ?? "–"),
            ("Sharpe", s.sharpe.map { String(format: "%.2f", $0) } ?? "–"), ("Sortino", s.sortino.map { String(format: "%.2f", $0) } ?? "–"),
            ("Max drawdown", Self.percent(s.maxDrawdown)), ("Drawdown duration", String(format: "%.1f h", s.maxDrawdownHours)),
            ("Trades", String(s.trades)), ("Win rate", s.winRate.map(Self.percent) ?? "–"),
            ("Profit factor", s.profitFactor.map { String(format: "%.2f", $0) } ?? "–"),
            ("Expectancy (USDT)", s.expectancy.map { String(format: "%.2f", $0) } ?? "–"),
            ("Average R", s.averageR.map { String(format: "%.2f", $0) } ?? "–"), ("Exposure", Self.percent(s.exposure)),
            ("Fees paid (USDT)", s.feesPaid),
        ]
        return .element("div", [("class", "cards")], figures.map { label, value in
            .element("div", [("class", "card")], [.element("div", [("class", "label")], text: label), .element("div", [("class", "value")], text: value)])
        })
    }

    func symbolsTable() -> Markup {
        Self.table(
            ["Symbol", "Bars", "Trades", "Wins", "Net PnL", "Fees", "Exposure", "Stop", "Target", "Cross", "End"],
            statistics.symbols.map { line in
                [line.symbol, String(line.bars), String(line.trades), String(line.wins), line.netPnL, line.fees, Self.percent(line.exposure),
                 String(line.exits["stop"] ?? 0), String(line.exits["target"] ?? 0), String(line.exits["cross"] ?? 0),
                 String(line.exits["end_of_data"] ?? 0)]
            })
    }

    func tradesTable() -> Markup {
        let header = ["Symbol", "Side", "Qty", "Entry time", "Entry", "Exit time", "Exit", "Reason", "Net PnL", "R"]
        let rows: [Markup] = result.trades.map { trade in
            let pnlClass = trade.netPnL.isNegative ? "down" : "up"
            let cells: [Markup] = [
                .element("td", text: trade.symbol.rawValue), .element("td", text: trade.direction.rawValue),
                .element("td", text: trade.quantity.description), .element("td", text: Self.isoTime(trade.entryTime.rawValue)),
                .element("td", text: trade.entryPrice.description), .element("td", text: Self.isoTime(trade.exitTime.rawValue)),
                .element("td", text: trade.exitPrice.description), .element("td", text: trade.exitReason.rawValue),
                .element("td", [("class", pnlClass)], text: trade.netPnL.formatted(decimals: 4)),
                .element("td", [("class", pnlClass)], text: String(format: "%.2f", trade.rMultiple)),
            ]
            return .element("tr", [], cells)
        }
        return .element("table", [("id", "trades")], [
            .element("thead", [], [.element("tr", [], header.map { .element("th", text: $0) })]), .element("tbody", [], rows),
        ])
    }

    static func table(_ header: [String], _ rows: [[String]]) -> Markup {
        .element("table", [], [
            .element("thead", [], [.element("tr", [], header.map { .element("th", text: $0) })]),
            .element("tbody", [], rows.map { row in .element("tr", [], row.map { .element("td", text: $0) }) }),
        ])
    }

    static func percent(_ fraction: Double) -> String { String(format: "%.2f%%", fraction * 100) }

    /// `2025-05-04T15:33:00Z`.
    static func isoTime(_ millis: Int64) -> String { UTCDate(millis: millis).isoText }

    /// `2025-05-04`.
    static func isoDay(_ millis: Int64) -> String { UTCDate(millis: millis).dayText }
}

extension EMACross.Configuration {
    /// `EMA 20/50, ATR 14, stop 1.5 ATR, target 3 ATR`.
    public var summary: String {
        "EMA \(fast)/\(slow), ATR \(atrPeriod), stop \(stopATR) ATR, target \(targetATR) ATR"
    }
}
