import QuantumCore

/// A finished backtest: the per-symbol results and the account they add up to.
public struct BacktestResult: Sendable {
    public let configuration: BacktestConfiguration
    public let symbols: [SymbolResult]
    /// Every round trip, in exit-time order (symbol order within one minute).
    public let trades: [BacktestTrade]

    public init(configuration: BacktestConfiguration, symbols: [SymbolResult]) {
        self.configuration = configuration
        self.symbols = symbols
        trades = symbols.flatMap(\.trades).sorted { ($0.exitTime, $0.symbol.rawValue) < ($1.exitTime, $1.symbol.rawValue) }
    }

    /// Bars processed, all symbols.
    public var bars: Int { symbols.reduce(0) { $0 + $1.bars } }

    /// The account's equity after each bar of the joint timeline (balance plus every symbol's net PnL).
    ///
    /// The timeline runs from the earliest first bar to the latest last bar at the interval; a symbol counts 0 before
    /// its first bar and its last value after its last bar.
    public var equityCurve: EquityCurve {
        let step = configuration.interval.milliseconds
        guard let start = symbols.map(\.firstOpenTime).min(),
              let end = symbols.map({ $0.firstOpenTime + Int64(max($0.bars - 1, 0)) * step }).max()
        else { return EquityCurve(start: 0, step: step, values: []) }
        let length = Int((end - start) / step) + 1
        var values = [Double](repeating: configuration.balance.doubleValue, count: length)
        for symbol in symbols where symbol.bars > 0 {
            let offset = Int((symbol.firstOpenTime - start) / step)
            for (index, pnl) in symbol.cumulativePnL.enumerated() { values[offset + index] += pnl }
            if let last = symbol.cumulativePnL.last, offset + symbol.bars < length {
                for index in (offset + symbol.bars)..<length { values[index] += last }
            }
        }
        return EquityCurve(start: start, step: step, values: values)
    }
}

/// Equity at evenly spaced times: `values[i]` is the equity at the close of the bar opening at `start + i × step`.
public struct EquityCurve: Sendable {
    /// Open time of the first bar, ms.
    public var start: Int64
    /// Bar length, ms.
    public var step: Int64
    public var values: [Double]

    /// The open time of bar `index`.
    public func time(at index: Int) -> Int64 { start + Int64(index) * step }

    /// Drawdown after each bar: the fall from the highest equity so far, as a fraction of it (0 … 1).
    public var drawdowns: [Double] {
        var peak = -Double.infinity
        return values.map { value in
            peak = max(peak, value)
            return peak > 0 ? (peak - value) / peak : 0
        }
    }

    /// At most `limit` evenly spaced points (index, value), always keeping the last.
    public func sampled(_ series: [Double], limit: Int) -> [(index: Int, value: Double)] {
        guard series.count > limit, limit > 1 else { return series.enumerated().map { ($0.offset, $0.element) } }
        let stride = Double(series.count - 1) / Double(limit - 1)
        return (0..<limit).map { point in
            let index = min(series.count - 1, Int((Double(point) * stride).rounded()))
            return (index, series[index])
        }
    }
}
