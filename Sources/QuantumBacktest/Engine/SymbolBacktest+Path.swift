import QuantumCore

/// A bar's path as a live replay plays it (`IntraBarPath`), for the backtest on the paper exchange's engine.
extension SymbolBacktest {
    /// The price of one of a bar's four path points, as `IntraBarPath` lays them: open, low and high (high and low when
    /// the bar closed below its open), close.
    static func pathPrice(_ columns: BarColumns, bar: Int, point: Int) -> Int64 {
        let open = columns.opens[bar], close = columns.closes[bar]
        switch point {
        case 0: return open
        case 3: return close
        default:
            let bullish = close >= open
            return (point == 1) == bullish ? columns.lows[bar] : columns.highs[bar]
        }
    }

    /// The path points' offsets from a bar's open time, as `IntraBarPath` times them.
    static func pathOffsets(_ interval: KlineInterval) -> [Int64] {
        let length = interval.milliseconds
        return [0, length / 3, 2 * length / 3, length - 1]
    }
}
