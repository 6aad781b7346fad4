import QuantumCore

/// One market update of a symbol: the last trade price and the mark price at a moment.
///
/// The simulator's matching engine fills against `lastPrice` and values positions, margin and
/// MARK_PRICE triggers at `markPrice` (Binance's split, reference §8.10). `volume` is the base
/// quantity traded in this update, so klines built from ticks carry a volume.
public struct MarketTick: Hashable, Sendable, CustomStringConvertible {
    public var symbol: Symbol
    public var time: EpochMillis
    /// The last trade (contract) price.
    public var lastPrice: Price
    /// The mark price: positions, margin and liquidation are valued at it.
    public var markPrice: Price
    /// Base-asset quantity traded in this update (zero when unknown).
    public var volume: Quantity

    public init(symbol: Symbol, time: EpochMillis, lastPrice: Price, markPrice: Price, volume: Quantity = .zero) {
        self.symbol = symbol
        self.time = time
        self.lastPrice = lastPrice
        self.markPrice = markPrice
        self.volume = volume
    }

    public var description: String { "\(symbol) \(time) last=\(lastPrice) mark=\(markPrice) v=\(volume)" }
}
