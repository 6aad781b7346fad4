import Foundation
import QuantumCore

/// Runs a backtest over loaded series: each symbol through its own `SymbolBacktest` (fills at the close), or every symbol
/// on the paper exchange's engine (`VenueBacktest`, fills at the venue); then the whole account.
public enum Backtest {
    /// Runs every configured symbol on its series, in the configuration's order.
    ///
    /// - Parameter progress: hears bar counts as they are done (from the running task).
    public static func run(
        _ configuration: BacktestConfiguration, series: [Symbol: BarColumns], progress: (@Sendable (Int) -> Void)? = nil
    ) throws(BacktestError) -> BacktestResult {
        var ordered: [BarColumns] = []
        for market in configuration.markets {
            guard let columns = series[market.symbol] else {
                throw BacktestError(.data, "no bars loaded for \(market.symbol)")
            }
            ordered.append(columns)
        }
        if configuration.fills == .venue {
            return BacktestResult(configuration: configuration, symbols: try VenueBacktest.run(configuration, series: ordered, progress: progress))
        }
        var results: [SymbolResult] = []
        for (market, columns) in zip(configuration.markets, ordered) {
            results.append(try SymbolBacktest.run(columns, market: market, configuration: configuration, progress: progress))
        }
        return BacktestResult(configuration: configuration, symbols: results)
    }

    /// Loads every configured symbol's series from `directory` (the window and gap policy of the configuration).
    public static func load(_ configuration: BacktestConfiguration, from directory: URL) throws(BacktestError) -> [Symbol: BacktestData.Series] {
        var loaded: [Symbol: BacktestData.Series] = [:]
        for market in configuration.markets {
            do {
                loaded[market.symbol] = try BacktestData.load(
                    market.symbol, interval: configuration.interval, from: directory, window: configuration.window, gaps: configuration.gaps)
            } catch {
                throw BacktestError(.data, error.message)
            }
        }
        return loaded
    }
}
