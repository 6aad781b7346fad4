import Foundation
import QuantumCore
import QuantumSim

/// Reads the bars of a backtest from a directory of kline CSV files (`SYMBOL_1m_….csv`, the layout of `shared/data`).
///
/// Every row is checked by `KlineCSV` (header, columns, numbers, order); files of one symbol are joined in time
/// order, cut to the date window, and checked for gaps and overlaps. A gap is an error naming the file and line
/// unless the policy is `carry`, which fills each missing bar with a flat bar at the previous close and counts it.
/// Nothing is ever skipped silently.
public enum BacktestData {
    /// Which bars of each series to keep.
    public struct Window: Hashable, Sendable {
        /// The first open time kept (inclusive).
        public var from: EpochMillis?
        /// The open time where the window ends (exclusive).
        public var to: EpochMillis?
        /// Keep only each series' first this many days after `from` (QT-EMA's "first 30 days").
        public var firstDays: Int?

        public init(from: EpochMillis? = nil, to: EpochMillis? = nil, firstDays: Int? = nil) {
            self.from = from
            self.to = to
            self.firstDays = firstDays
        }
    }

    /// What to do about missing bars.
    public enum GapPolicy: String, Hashable, Sendable, CaseIterable {
        /// Refuse the data, naming the file and line after the gap.
        case error
        /// Fill each missing bar with a flat bar at the previous close, and count them.
        case carry
    }

    /// One symbol's bars and where they came from.
    public struct Series: Sendable {
        public var columns: BarColumns
        /// The files read, in time order.
        public var files: [String]
        /// Flat bars inserted for missing minutes (always 0 under `GapPolicy.error`).
        public var repairedBars: Int
    }

    /// The files of `symbol` and `interval` in `directory`, by name.
    public static func files(of symbol: Symbol, interval: KlineInterval, in directory: URL) throws(BacktestDataError) -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory.path) } catch {
            throw BacktestDataError(.missingFile, file: directory.path, line: 0, "cannot list the data directory: \(error.localizedDescription)")
        }
        let matching = names.filter { name in
            guard name.hasSuffix(".csv"), let (fileSymbol, fileInterval) = KlineCSV.identify(fileName: name) else { return false }
            return fileSymbol == symbol && fileInterval == interval
        }.sorted()
        guard !matching.isEmpty else {
            throw BacktestDataError(.missingFile, file: directory.path, line: 0,
                                    "no \(symbol)_\(interval)_*.csv file (the files are named SYMBOL_INTERVAL_….csv)")
        }
        return matching.map { directory.appendingPathComponent($0) }
    }

    /// Loads, joins, cuts and checks the bars of `symbol` from `directory`.
    public static func load(
        _ symbol: Symbol, interval: KlineInterval, from directory: URL, window: Window = Window(), gaps: GapPolicy = .error
    ) throws(BacktestDataError) -> Series {
        var parts: [(path: String, klines: [Kline])] = []
        for url in try files(of: symbol, interval: interval, in: directory) {
            do { parts.append((url.path, try KlineCSV.load(contentsOf: url, symbol: symbol, interval: interval))) } catch {
                throw BacktestDataError(.malformedRow, file: url.path, line: error.line, Self.detail(of: error))
            }
        }
        parts.sort { ($0.klines.first?.openTime.rawValue ?? .max) < ($1.klines.first?.openTime.rawValue ?? .max) }
        return try join(parts, symbol: symbol, interval: interval, window: window, gaps: gaps)
    }

    /// Joins parsed files of one symbol (in time order) into one checked series.
    public static func join(
        _ parts: [(path: String, klines: [Kline])], symbol: Symbol, interval: KlineInterval, window: Window, gaps: GapPolicy
    ) throws(BacktestDataError) -> Series {
        let step = interval.milliseconds
        var columns = BarColumns(symbol: symbol, interval: interval, capacity: parts.reduce(0) { $0 + $1.klines.count })
        var end = window.to?.rawValue ?? .max
        var repaired = 0
        var previous: (time: Int64, close: Int64, path: String, line: Int)?
        for part in parts {
            for (index, kline) in part.klines.enumerated() {
                let time = kline.openTime.rawValue
                if let from = window.from?.rawValue, time < from { continue }
                if previous == nil, let days = window.firstDays { end = min(end, time + Int64(days) * 86_400_000) }
                guard time < end else { break }
                let line = index + 2
                if let last = previous {
                    if time <= last.time {
                        throw BacktestDataError(.overlap, file: part.path, line: line,
                                                "open_time \(time) is not after \(last.time) at \(last.path):\(last.line)")
                    }
                    let missing = (time - last.time) / step - 1
                    if missing > 0 {
                        guard gaps == .carry else {
                            throw BacktestDataError(.gap, file: part.path, line: line,
                                                    "open_time \(time) follows \(last.time): \(missing) bar(s) of \(interval) missing "
                                                    + "(set gaps = \"carry\" to fill them with flat bars at the previous close)")
                        }
                        for k in 1...missing {
                            columns.append(openTime: last.time + k * step, open: last.close, high: last.close, low: last.close, close: last.close)
                        }
                        repaired += Int(missing)
                    }
                }
                columns.append(kline)
                previous = (time, kline.close.units, part.path, line)
            }
        }
        guard columns.count > 0 else {
            throw BacktestDataError(.emptyWindow, file: parts.first?.path ?? "\(symbol)", line: 0, "the date window keeps no \(symbol) bar")
        }
        return Series(columns: columns, files: parts.map(\.path), repairedBars: repaired)
    }

    /// The CSV reader's message without its own `line N:` prefix (the backtest error adds `file:line:`).
    static func detail(of error: KlineCSVError) -> String {
        guard error.line > 0, let colon = error.message.firstIndex(of: ":"), error.message.hasPrefix("line ") else { return error.message }
        let detail = String(error.message[error.message.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        return error.column.map { "column \($0): \(detail)" } ?? detail
    }
}
