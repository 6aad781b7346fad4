/// Binance's request weights that depend on a parameter, shared by the adapter's budget and the
/// simulator's limiter so both count the same.
public enum BinanceWeights {
    /// Depth: 2/5/10/20 for `limit` ≤ 50/100/500/1000.
    public static func depth(limit: Int) -> Int {
        switch limit {
        case ...50: 2
        case ...100: 5
        case ...500: 10
        default: 20
        }
    }

    /// Klines: 1/2/5/10 for `limit` < 100, < 500, ≤ 1000, > 1000.
    public static func klines(limit: Int) -> Int {
        switch limit {
        case ..<100: 1
        case ..<500: 2
        case ...1000: 5
        default: 10
        }
    }
}
