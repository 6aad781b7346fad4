import QuantumCore

/// One candlestick of a symbol: open/high/low/close, base volume and trade count over one interval.
///
/// Identified by its open time (Binance's convention); `closeTime` is the bar's last millisecond,
/// `openTime + interval − 1`. `isClosed` is Binance's `x`: false while the bar is still forming.
public struct Kline: Hashable, Sendable, CustomStringConvertible {
    public var symbol: Symbol
    public var interval: KlineInterval
    /// The first millisecond of the bar.
    public var openTime: EpochMillis
    public var open: Price
    public var high: Price
    public var low: Price
    public var close: Price
    /// Base-asset volume traded in the bar (BTC for BTCUSDT).
    public var volume: Quantity
    /// Number of trades in the bar; 0 where the source does not record it (CSV files).
    public var tradeCount: Int
    /// Whether the bar is final (Binance's `x`).
    public var isClosed: Bool

    public init(
        symbol: Symbol, interval: KlineInterval, openTime: EpochMillis,
        open: Price, high: Price, low: Price, close: Price,
        volume: Quantity = .zero, tradeCount: Int = 0, isClosed: Bool = true
    ) {
        self.symbol = symbol
        self.interval = interval
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.tradeCount = tradeCount
        self.isClosed = isClosed
    }

    /// The last millisecond of the bar: `openTime + interval − 1`.
    public var closeTime: EpochMillis { interval.closeTime(forOpen: openTime) }

    /// Whether `time` falls inside the bar.
    public func contains(_ time: EpochMillis) -> Bool { time >= openTime && time <= closeTime }

    /// Whether the prices are a possible bar: positive, and `low ≤ open, close ≤ high`.
    public var isConsistent: Bool {
        low.isPositive && low <= open && low <= close && open <= high && close <= high && !volume.isNegative
    }

    /// Whether the bar closed above its open (or level): the replay path visits the low first then.
    public var isBullish: Bool { close >= open }

    public var description: String {
        "\(symbol) \(interval) \(openTime) o=\(open) h=\(high) l=\(low) c=\(close) v=\(volume) n=\(tradeCount)\(isClosed ? "" : " open")"
    }
}
