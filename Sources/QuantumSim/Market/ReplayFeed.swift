import Foundation
import QuantumCore

/// Replays recorded klines of one or more symbols as ticks, in lockstep: merged by time.
///
/// Each bar becomes the four ticks of its `IntraBarPath` (open, low/high, high/low, close). Ticks
/// of different symbols at the same millisecond come in symbol order, so a replay is identical on
/// every run. The mark price is the last price, unless a series carries mark-price klines: then it
/// is the mark bar's path at the tick's time (interpolated; Binance's mark prices have more decimals
/// than the tick), and the last price wherever the mark series has no bar.
public struct ReplayFeed: MarketFeed, Sendable {
    /// One symbol's recorded bars, with optional mark-price bars of any interval.
    public struct Series: Sendable {
        public let symbol: Symbol
        public let klines: [Kline]
        public let markKlines: [Kline]

        /// Checks the bars: at least one, one symbol, consistent prices, increasing open times.
        public init(klines: [Kline], markKlines: [Kline] = []) throws(ReplayFeedError) {
            guard let first = klines.first else { throw ReplayFeedError(.emptySeries, "a series needs at least one kline") }
            symbol = first.symbol
            try Self.check(klines, symbol: first.symbol, what: "kline")
            try Self.check(markKlines, symbol: first.symbol, what: "mark kline")
            self.klines = klines
            self.markKlines = markKlines
        }

        private static func check(_ bars: [Kline], symbol: Symbol, what: String) throws(ReplayFeedError) {
            var previous: Kline?
            for (index, bar) in bars.enumerated() {
                guard bar.symbol == symbol else {
                    throw ReplayFeedError(.mixedSymbols, "\(what) \(index) is \(bar.symbol), the series is \(symbol)")
                }
                guard bar.isConsistent else { throw ReplayFeedError(.inconsistentBar, "\(what) \(index): \(bar)") }
                if let previous, bar.openTime <= previous.closeTime {
                    throw ReplayFeedError(.outOfOrder, "\(what) \(index) of \(symbol) opens at \(bar.openTime), before \(previous.closeTime)")
                }
                previous = bar
            }
        }
    }

    /// Where one symbol's replay stands.
    private struct Cursor: Sendable {
        let series: Series
        var bar = 0
        var point = 0
        var path: IntraBarPath?
        var mark = 0
        var markPath: IntraBarPath?

        init(_ series: Series) {
            self.series = series
            path = IntraBarPath(series.klines[0])
        }

        var nextTime: EpochMillis? { path?.points[point].time }

        /// The tick at the cursor (without moving it), given the mark bar found for its time.
        func tick(mark: IntraBarPath?) -> MarketTick? {
            guard let path else { return nil }
            let here = path.points[point]
            let markPrice = mark?.price(at: here.time) ?? here.price
            return MarketTick(symbol: series.symbol, time: here.time, lastPrice: here.price, markPrice: markPrice, volume: here.volume)
        }

        /// The mark bar covering `time`, moving forward through the mark series (times only increase).
        mutating func markBar(at time: EpochMillis) -> IntraBarPath? {
            let marks = series.markKlines
            var index = mark
            while index < marks.count, marks[index].closeTime < time { index += 1 }
            if index != mark || markPath == nil, index < marks.count { markPath = IntraBarPath(marks[index]) }
            mark = index
            guard index < marks.count, marks[index].contains(time) else { return nil }
            return markPath
        }

        mutating func advance() {
            point += 1
            guard point == IntraBarPath.pointCount else { return }
            point = 0
            bar += 1
            path = bar < series.klines.count ? IntraBarPath(series.klines[bar]) : nil
        }
    }

    private var cursors: [Cursor]

    /// A replay of `series`, one per symbol.
    public init(_ series: [Series]) throws(ReplayFeedError) {
        guard !series.isEmpty else { throw ReplayFeedError(.emptySeries, "a replay needs at least one series") }
        var seen = Set<Symbol>()
        for item in series where !seen.insert(item.symbol).inserted {
            throw ReplayFeedError(.duplicateSymbol, "\(item.symbol) is given twice")
        }
        cursors = series.sorted { $0.symbol < $1.symbol }.map(Cursor.init)
    }

    /// A replay of kline files named `SYMBOL_INTERVAL_….csv`, with optional mark-price files
    /// (`SYMBOL_mark_INTERVAL_….csv`) matched to them by symbol.
    ///
    /// Throws `KlineCSVError` for a bad file and `ReplayFeedError` for bad series or a mark file without klines.
    public static func load(klineFiles: [URL], markFiles: [URL] = []) throws -> ReplayFeed {
        var marks: [Symbol: [Kline]] = [:]
        for url in markFiles {
            let bars = try KlineCSV.load(contentsOf: url)
            if let symbol = bars.first?.symbol { marks[symbol] = bars }
        }
        let series = try klineFiles.map { url throws -> Series in
            let bars = try KlineCSV.load(contentsOf: url)
            return try Series(klines: bars, markKlines: bars.first.flatMap { marks.removeValue(forKey: $0.symbol) } ?? [])
        }
        if let orphan = marks.keys.sorted().first {
            throw ReplayFeedError(.unmatchedMark, "mark-price file of \(orphan) has no kline file")
        }
        return try ReplayFeed(series)
    }

    /// The symbols replayed, in the order ticks of the same millisecond come.
    public var symbols: [Symbol] { cursors.map(\.series.symbol) }

    /// The next tick's time, without consuming it (for a caller that sleeps until then).
    public var nextTime: EpochMillis? { cursors.compactMap(\.nextTime).min() }

    /// The next tick: the earliest among the symbols, ties in symbol order.
    public mutating func next() -> MarketTick? {
        var chosen: Int?
        for index in cursors.indices {
            guard let time = cursors[index].nextTime else { continue }
            if let best = chosen, let bestTime = cursors[best].nextTime, bestTime <= time { continue }
            chosen = index
        }
        guard let index = chosen, let time = cursors[index].nextTime else { return nil }
        let mark = cursors[index].markBar(at: time)
        let tick = cursors[index].tick(mark: mark)
        cursors[index].advance()
        return tick
    }
}

/// Bars that cannot be replayed.
public struct ReplayFeedError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// No series, or a series without bars.
        case emptySeries = "empty_series"
        /// The same symbol twice.
        case duplicateSymbol = "duplicate_symbol"
        /// Mark-price bars of a symbol that has no kline series.
        case unmatchedMark = "unmatched_mark"
        /// A series holds bars of another symbol.
        case mixedSymbols = "mixed_symbols"
        /// A bar's prices are impossible (`low ≤ open, close ≤ high` broken, or not positive).
        case inconsistentBar = "inconsistent_bar"
        /// A bar opens before the previous one closed.
        case outOfOrder = "out_of_order"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
