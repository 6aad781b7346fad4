import Foundation
import QuantumCore

/// Reads kline CSV files (`open_time,open,high,low,close,volume`, times in ms) into exact `Kline`s.
///
/// The format of `../shared/data`: one header line, comma separated, no quoting, plain decimals.
/// Mark-price files (`open_time,open,high,low,close`) are read too, with zero volume. Every row is
/// checked — column count, integer time aligned to the interval and strictly increasing, exact
/// positive prices, `low ≤ open, close ≤ high`, non-negative volume — and the first bad row is
/// reported by line and column; no row is ever skipped or defaulted.
public enum KlineCSV {
    /// The header of a trade-price kline file.
    public static let header = "open_time,open,high,low,close,volume"
    /// The header of a mark-price kline file (no volume).
    public static let markPriceHeader = "open_time,open,high,low,close"

    /// Parses the text of a kline file of `symbol` and `interval`; every bar is closed.
    public static func parse(_ text: String, symbol: Symbol, interval: KlineInterval) throws(KlineCSVError) -> [Kline] {
        // Split on the byte: as Characters, "\r\n" is one grapheme and would not split on "\n".
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard let first = lines.first else { throw KlineCSVError(.badHeader, line: 1, column: nil, "the file is empty") }
        let headerLine = trimmed(first)
        let columns: [String]
        switch headerLine {
        case Substring(header): columns = header.components(separatedBy: ",")
        case Substring(markPriceHeader): columns = markPriceHeader.components(separatedBy: ",")
        default:
            throw KlineCSVError(.badHeader, line: 1, column: nil,
                                "header '\(headerLine.prefix(80))' is neither '\(header)' nor '\(markPriceHeader)'")
        }
        var klines: [Kline] = []
        klines.reserveCapacity(lines.count - 1)
        var previous: EpochMillis?
        for index in 1..<lines.count {
            let number = index + 1
            let kline = try row(trimmed(lines[index]), line: number, columns: columns, symbol: symbol, interval: interval)
            if let previous, kline.openTime <= previous {
                throw KlineCSVError(.outOfOrder, line: number, column: "open_time",
                                    "open_time \(kline.openTime) is not after the previous row's \(previous)")
            }
            previous = kline.openTime
            klines.append(kline)
        }
        return klines
    }

    /// Reads and parses a kline file of `symbol` and `interval`.
    public static func load(contentsOf url: URL, symbol: Symbol, interval: KlineInterval) throws(KlineCSVError) -> [Kline] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw KlineCSVError(.unreadable, line: 0, column: nil, "cannot read \(url.path): \(error.localizedDescription)")
        }
        return try parse(text, symbol: symbol, interval: interval)
    }

    /// Reads a kline file whose name says its symbol and interval (`BTCUSDT_1m_20250504-20250603.csv`).
    public static func load(contentsOf url: URL) throws(KlineCSVError) -> [Kline] {
        guard let (symbol, interval) = identify(fileName: url.lastPathComponent) else {
            throw KlineCSVError(.unidentified, line: 0, column: nil,
                                "file name '\(url.lastPathComponent)' does not start with SYMBOL_ and name an interval")
        }
        return try load(contentsOf: url, symbol: symbol, interval: interval)
    }

    /// The symbol (first `_`-separated part) and interval (first part that is one) of a file name.
    ///
    /// `BTCUSDT_1m_20250504-20250603.csv` → (BTCUSDT, 1m); `BTCUSDT_mark_8h_….csv` → (BTCUSDT, 8h).
    public static func identify(fileName: String) -> (symbol: Symbol, interval: KlineInterval)? {
        let stem = fileName.hasSuffix(".csv") ? String(fileName.dropLast(4)) : fileName
        let parts = stem.split(separator: "_").map(String.init)
        guard parts.count >= 2, let symbol = Symbol(rawValue: parts[0]),
              let interval = parts.dropFirst().lazy.compactMap(KlineInterval.init(rawValue:)).first
        else { return nil }
        return (symbol, interval)
    }

    private static func trimmed(_ line: Substring) -> Substring {
        line.last == "\r" ? line.dropLast() : line
    }

    private static func row(
        _ line: Substring, line number: Int, columns: [String], symbol: Symbol, interval: KlineInterval
    ) throws(KlineCSVError) -> Kline {
        // Split on the byte, not the Character: grapheme breaking cost more than everything else in a row.
        let fields = line.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { Substring($0) }
        guard fields.count == columns.count else {
            throw KlineCSVError(.columnCount, line: number, column: nil,
                                "\(fields.count) columns, expected \(columns.count) (\(columns.joined(separator: ",")))")
        }
        let openTime = try time(fields[0], line: number)
        guard interval.isAligned(openTime) else {
            throw KlineCSVError(.misalignedTime, line: number, column: "open_time",
                                "open_time \(openTime) is not the start of a \(interval) bar")
        }
        func price(_ index: Int) throws(KlineCSVError) -> Price {
            let value: Price
            do { value = try Price(parsing: fields[index]) } catch {
                throw KlineCSVError(.malformedNumber, line: number, column: columns[index], error.message)
            }
            guard value.isPositive else {
                throw KlineCSVError(.malformedNumber, line: number, column: columns[index], "price \(value) is not positive")
            }
            return value
        }
        let open = try price(1), high = try price(2), low = try price(3), close = try price(4)
        var volume = Quantity.zero
        if columns.count == 6 {
            do { volume = try Quantity(parsing: fields[5]) } catch {
                throw KlineCSVError(.malformedNumber, line: number, column: "volume", error.message)
            }
            if volume.isNegative {
                throw KlineCSVError(.malformedNumber, line: number, column: "volume", "volume \(volume) is negative")
            }
        }
        if high < max(open, close, low) {
            throw KlineCSVError(.inconsistentBar, line: number, column: "high",
                                "high \(high) is below open \(open), close \(close) or low \(low)")
        }
        if low > min(open, close) {
            throw KlineCSVError(.inconsistentBar, line: number, column: "low", "low \(low) is above open \(open) or close \(close)")
        }
        return Kline(symbol: symbol, interval: interval, openTime: openTime,
                     open: open, high: high, low: low, close: close, volume: volume)
    }

    private static func time(_ field: Substring, line number: Int) throws(KlineCSVError) -> EpochMillis {
        var value: Int64 = 0
        for byte in field.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw KlineCSVError(.malformedTime, line: number, column: "open_time",
                                    "'\(field.prefix(40))' is not a time in milliseconds")
            }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (added, o2) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { throw KlineCSVError(.malformedTime, line: number, column: "open_time", "'\(field.prefix(40))' is out of range") }
            value = added
        }
        guard !field.isEmpty else { throw KlineCSVError(.malformedTime, line: number, column: "open_time", "empty time") }
        return EpochMillis(value)
    }
}

/// A kline file that cannot be read exactly, naming the line (1-based; 0 for the file) and column.
public struct KlineCSVError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The file could not be read.
        case unreadable
        /// The file name does not say the symbol and interval.
        case unidentified
        /// The first line is not a known header (or the file is empty).
        case badHeader = "bad_header"
        /// A row has the wrong number of columns (an empty line has one).
        case columnCount = "column_count"
        /// `open_time` is not a whole number of milliseconds.
        case malformedTime = "malformed_time"
        /// `open_time` is not the start of a bar of the interval.
        case misalignedTime = "misaligned_time"
        /// `open_time` does not increase.
        case outOfOrder = "out_of_order"
        /// A price or volume is not an exact decimal, or out of its range.
        case malformedNumber = "malformed_number"
        /// The prices are not a possible bar (`low ≤ open, close ≤ high`).
        case inconsistentBar = "inconsistent_bar"
    }

    public var code: Code
    /// The 1-based line of the file; 0 when the error is about the whole file.
    public var line: Int
    /// The column's header name, when one column is at fault.
    public var column: String?
    /// What is wrong, prefixed with where.
    public var message: String

    public init(_ code: Code, line: Int, column: String?, _ detail: String) {
        self.code = code
        self.line = line
        self.column = column
        let place = line == 0 ? "" : "line \(line)\(column.map { ", column \($0)" } ?? ""): "
        self.message = place + detail
    }
}
