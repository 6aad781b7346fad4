import Foundation
import QuantumCore

/// The figures a trader reads first, computed from a result. Exact where money is summed, `Double` for ratios.
public struct BacktestStatistics: Hashable, Sendable, Codable {
    /// One symbol's line of the per-symbol table.
    public struct SymbolLine: Hashable, Sendable, Codable {
        public var symbol: String
        public var bars: Int
        public var trades: Int
        public var wins: Int
        public var netPnL: String
        public var fees: String
        public var exposure: Double
        public var exits: [String: Int]
        public var refusedSignals: Int
    }

    /// The return of one calendar month (UTC).
    public struct MonthlyReturn: Hashable, Sendable, Codable {
        /// `2025-05`.
        public var month: String
        public var returnFraction: Double
    }

    public var startingBalance: String
    public var finalEquity: String
    /// Sum of every trade's net PnL, exact.
    public var netPnL: String
    public var totalReturn: Double
    public var cagr: Double?
    /// Daily returns, annualised with √365 (crypto trades every day).
    public var sharpe: Double?
    public var sortino: Double?
    /// Largest fall from a peak, as a fraction of the peak.
    public var maxDrawdown: Double
    /// Longest time below a previous peak, in hours.
    public var maxDrawdownHours: Double
    public var trades: Int
    public var winRate: Double?
    /// Gross profit ÷ gross loss of the trades (net of fees); `nil` without a losing trade.
    public var profitFactor: Double?
    /// Mean net PnL per trade in USDT.
    public var expectancy: Double?
    public var averageR: Double?
    /// Share of bars with a position open, over all symbols.
    public var exposure: Double
    public var feesPaid: String
    public var exits: [String: Int]
    public var bars: Int
    public var days: Double
    public var symbols: [SymbolLine]
    public var monthly: [MonthlyReturn]

    public init(_ result: BacktestResult) {
        let curve = result.equityCurve
        let balance = result.configuration.balance.doubleValue
        let trades = result.trades
        let net = trades.reduce(Notional.zero) { (try? $0 + $1.netPnL) ?? $0 }
        let fees = trades.reduce(Notional.zero) { (try? $0 + $1.fees) ?? $0 }
        let final = (try? result.configuration.balance + net) ?? result.configuration.balance
        startingBalance = result.configuration.balance.formatted(decimals: 2)
        finalEquity = final.formatted(decimals: 2)
        netPnL = net.formatted(decimals: 2)
        totalReturn = balance > 0 ? final.doubleValue / balance - 1 : 0
        bars = result.bars
        days = Double(curve.values.count) * Double(curve.step) / 86_400_000
        cagr = days > 0 && balance > 0 && final.doubleValue > 0 ? pow(final.doubleValue / balance, 365 / days) - 1 : nil
        let daily = Self.dailyReturns(curve, balance: balance)
        (sharpe, sortino) = Self.ratios(daily)
        let drawdowns = curve.drawdowns
        maxDrawdown = drawdowns.max() ?? 0
        maxDrawdownHours = Double(Self.longestUnderwater(drawdowns)) * Double(curve.step) / 3_600_000
        self.trades = trades.count
        let wins = trades.filter { $0.netPnL.isPositive }
        winRate = trades.isEmpty ? nil : Double(wins.count) / Double(trades.count)
        let profit = wins.reduce(0.0) { $0 + $1.netPnL.doubleValue }
        let loss = trades.filter { $0.netPnL.isNegative }.reduce(0.0) { $0 - $1.netPnL.doubleValue }
        profitFactor = loss > 0 ? profit / loss : nil
        expectancy = trades.isEmpty ? nil : net.doubleValue / Double(trades.count)
        averageR = trades.isEmpty ? nil : trades.reduce(0.0) { $0 + $1.rMultiple } / Double(trades.count)
        let exposed = result.symbols.reduce(0) { $0 + $1.exposedBars }
        exposure = bars > 0 ? Double(exposed) / Double(bars) : 0
        feesPaid = fees.formatted(decimals: 2)
        exits = Self.exitCounts(trades)
        symbols = result.symbols.map { symbol in
            let symbolNet = symbol.trades.reduce(Notional.zero) { (try? $0 + $1.netPnL) ?? $0 }
            let symbolFees = symbol.trades.reduce(Notional.zero) { (try? $0 + $1.fees) ?? $0 }
            return SymbolLine(
                symbol: symbol.symbol.rawValue, bars: symbol.bars, trades: symbol.trades.count,
                wins: symbol.trades.filter { $0.netPnL.isPositive }.count, netPnL: symbolNet.formatted(decimals: 2),
                fees: symbolFees.formatted(decimals: 2), exposure: symbol.bars > 0 ? Double(symbol.exposedBars) / Double(symbol.bars) : 0,
                exits: Self.exitCounts(symbol.trades), refusedSignals: symbol.refusedSignals)
        }
        monthly = Self.monthlyReturns(curve, balance: balance)
    }

    static func exitCounts(_ trades: [BacktestTrade]) -> [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: BacktestExit.allCases.map { ($0.rawValue, 0) })
        for trade in trades { counts[trade.exitReason.rawValue, default: 0] += 1 }
        return counts
    }

    /// Returns between the equity at the end of each UTC day (the first against the starting balance).
    static func dailyReturns(_ curve: EquityCurve, balance: Double) -> [Double] {
        guard !curve.values.isEmpty else { return [] }
        var closes: [Double] = []
        for index in curve.values.indices {
            let nextDay = (curve.time(at: index) + curve.step) % 86_400_000 == 0
            if nextDay || index == curve.values.count - 1 { closes.append(curve.values[index]) }
        }
        var previous = balance
        return closes.map { close in
            defer { previous = close }
            return previous > 0 ? close / previous - 1 : 0
        }
    }

    /// Sharpe and Sortino of daily returns (risk-free 0), annualised with √365; `nil` without variation.
    static func ratios(_ returns: [Double]) -> (sharpe: Double?, sortino: Double?) {
        guard returns.count >= 2 else { return (nil, nil) }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        let downside = (returns.reduce(0) { $0 + min($1, 0) * min($1, 0) } / Double(returns.count)).squareRoot()
        let annual = Double(365).squareRoot()
        return (variance > 0 ? mean / variance.squareRoot() * annual : nil, downside > 0 ? mean / downside * annual : nil)
    }

    /// The most consecutive bars spent below an earlier peak.
    static func longestUnderwater(_ drawdowns: [Double]) -> Int {
        var longest = 0, current = 0
        for drawdown in drawdowns {
            current = drawdown > 0 ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    /// Each UTC calendar month's return: its last equity against the previous month's (or the starting balance).
    static func monthlyReturns(_ curve: EquityCurve, balance: Double) -> [MonthlyReturn] {
        var months: [MonthlyReturn] = []
        var previous = balance
        var current: (key: String, last: Double)?
        var dayKey: Int64 = .min
        var monthOfDay = ""
        for (index, value) in curve.values.enumerated() {
            let time = curve.time(at: index)
            if time / 86_400_000 != dayKey {
                dayKey = time / 86_400_000
                monthOfDay = UTCDate(millis: time).monthText
            }
            if let open = current, open.key != monthOfDay {
                months.append(MonthlyReturn(month: open.key, returnFraction: previous > 0 ? open.last / previous - 1 : 0))
                previous = open.last
            }
            current = (monthOfDay, value)
        }
        if let open = current { months.append(MonthlyReturn(month: open.key, returnFraction: previous > 0 ? open.last / previous - 1 : 0)) }
        return months
    }
}
