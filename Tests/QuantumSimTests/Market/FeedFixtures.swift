import Foundation
import QuantumCore
import QuantumSim
import QuantumTestSupport

/// Real kline files from `../shared/data`, parsed once for the feed tests.
enum FeedFixtures {
    static let btcMayPath = "binance_um_futures/klines_1m/BTCUSDT_1m_20250504-20250603.csv"
    static let ethMayPath = "binance_um_futures/klines_1m/ETHUSDT_1m_20250504-20250615.csv"

    /// BTCUSDT 1m, 2025-05-04 → 2025-06-03 (43 199 bars).
    static let btcMay: [Kline]? = load(btcMayPath)
    /// ETHUSDT 1m, 2025-05-04 → 2025-06-15 (60 191 bars).
    static let ethMay: [Kline]? = load(ethMayPath)

    static func load(_ path: String) -> [Kline]? {
        guard let url = try? SharedData.file(path) else { return nil }
        return try? KlineCSV.load(contentsOf: url)
    }

    /// Sample standard deviation of close-to-close log returns.
    static func logReturnDeviation(_ closes: [Double]) -> Double {
        let returns = zip(closes, closes.dropFirst()).map { log($1 / $0) }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(returns.count - 1)
        return variance.squareRoot()
    }

    static func price(_ text: String) -> Price { Price(text)! }
    static func quantity(_ text: String) -> Quantity { Quantity(text)! }
}
