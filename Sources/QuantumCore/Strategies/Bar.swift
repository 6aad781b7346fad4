/// One closed candle of a symbol, as the strategies read it.
///
/// Prices and volume stay exact; strategies convert them to `Double` only for statistics.
public struct Bar: Hashable, Sendable {
    /// First millisecond the bar covers (Binance's kline open time).
    public var openTime: EpochMillis
    /// Last millisecond the bar covers (Binance's `closeTime`, `openTime + interval − 1`).
    public var closeTime: EpochMillis
    /// First traded price of the bar.
    public var open: Price
    /// Highest traded price of the bar.
    public var high: Price
    /// Lowest traded price of the bar.
    public var low: Price
    /// Last traded price of the bar.
    public var close: Price
    /// Base-asset volume traded during the bar.
    public var volume: Quantity

    public init(
        openTime: EpochMillis, closeTime: EpochMillis,
        open: Price, high: Price, low: Price, close: Price, volume: Quantity
    ) {
        self.openTime = openTime
        self.closeTime = closeTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}
