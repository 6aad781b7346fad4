import QuantumCore

/// Builds klines of one interval from ticks, per symbol: the forming bar and the latest closed ones.
///
/// Each tick counts as one trade at its last price with its volume. A bar closes when a tick of
/// its symbol falls past its close time (or when `closeBars(before:)` says the clock has moved on);
/// bars without ticks are not invented. The closed bars kept per symbol (`retention`, default 1 500,
/// Binance's largest `limit`) serve `GET /fapi/v1/klines`; `current(_:)` serves the forming bar
/// that the `<symbol>@kline_<interval>` stream pushes with `x: false`.
public struct KlineAggregator: Sendable {
    public let interval: KlineInterval
    /// How many closed bars are kept per symbol.
    public let retention: Int
    private var forming: [Symbol: Kline] = [:]
    private var closed: [Symbol: [Kline]] = [:]

    public init(interval: KlineInterval, retention: Int = 1_500) {
        self.interval = interval
        self.retention = max(retention, 0)
    }

    /// Adds a tick; returns the bar it closed, if it opened a new one.
    ///
    /// Throws when the tick is older than its symbol's forming bar: feeds are time-ordered, so such a
    /// tick is a caller's bug, and folding it in would corrupt a bar already published.
    public mutating func add(_ tick: MarketTick) throws(KlineAggregatorError) -> Kline? {
        let openTime = interval.openTime(containing: tick.time)
        if var bar = forming[tick.symbol] {
            if openTime < bar.openTime {
                throw KlineAggregatorError(.outOfOrder, "\(tick.symbol) tick at \(tick.time) is before the forming bar at \(bar.openTime)")
            }
            if openTime == bar.openTime {
                bar.high = max(bar.high, tick.lastPrice)
                bar.low = min(bar.low, tick.lastPrice)
                bar.close = tick.lastPrice
                // Saturates rather than throws: 92 billion units of base volume in one bar is not a market.
                bar.volume = (try? bar.volume + tick.volume) ?? Quantity(units: .max)
                bar.tradeCount += 1
                forming[tick.symbol] = bar
                return nil
            }
        }
        var finished: Kline?
        if let previous = forming[tick.symbol] { finished = finish(previous) }
        forming[tick.symbol] = Kline(symbol: tick.symbol, interval: interval, openTime: openTime,
                                     open: tick.lastPrice, high: tick.lastPrice, low: tick.lastPrice, close: tick.lastPrice,
                                     volume: tick.volume, tradeCount: 1, isClosed: false)
        return finished
    }

    /// Closes every forming bar whose close time is before `time` (the clock passed it without a new
    /// tick), in symbol order.
    public mutating func closeBars(before time: EpochMillis) -> [Kline] {
        var finished: [Kline] = []
        for symbol in forming.keys.sorted() {
            guard let bar = forming[symbol], bar.closeTime < time else { continue }
            forming[symbol] = nil
            finished.append(finish(bar))
        }
        return finished
    }

    /// The forming (not yet closed) bar of a symbol.
    public func current(_ symbol: Symbol) -> Kline? { forming[symbol] }

    /// The latest bars of a symbol, oldest first: up to `limit` of the kept closed bars followed by
    /// the forming one, as `GET /fapi/v1/klines` lists them.
    public func klines(_ symbol: Symbol, limit: Int = 500) -> [Kline] {
        var bars = Array((closed[symbol] ?? []).suffix(retention))
        if let open = forming[symbol] { bars.append(open) }
        return Array(bars.suffix(max(limit, 0)))
    }

    /// Symbols seen so far, sorted.
    public var symbols: [Symbol] { Set(forming.keys).union(closed.keys).sorted() }

    private mutating func finish(_ bar: Kline) -> Kline {
        var done = bar
        done.isClosed = true
        guard retention > 0 else { return done }
        // In place (a copy appended to and written back copied every kept bar at each close), trimmed once the list is
        // twice the retention, so trimming costs O(1) a bar; readers see the latest `retention`.
        closed[bar.symbol, default: []].append(done)
        if let count = closed[bar.symbol]?.count, count > 2 * retention { closed[bar.symbol]?.removeFirst(count - retention) }
        return done
    }
}

/// A tick the aggregator cannot take.
public struct KlineAggregatorError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// The tick is older than its symbol's forming bar.
        case outOfOrder = "out_of_order"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
