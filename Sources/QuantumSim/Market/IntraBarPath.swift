import QuantumCore

/// The deterministic path a replayed bar takes: open → low → high → close on a bullish bar
/// (close ≥ open), open → high → low → close on a bearish one.
///
/// This is a widespread heuristic of bar-based backtesters (a bar that closed up is assumed to have
/// dipped before it rallied; NautilusTrader, by contrast, defaults to a fixed O→H→L→C). A bar does not
/// say which extreme came first, so any order is a guess; this one is fixed and documented, so a stop
/// and a target inside the same bar resolve the same way on every run.
///
/// The four points sit at 0, ⅓ and ⅔ of the bar and at its last millisecond; the bar's volume is split
/// evenly over them (the remainder of the split on the close), so re-aggregating the ticks gives the bar back.
public struct IntraBarPath: Hashable, Sendable {
    /// One point of the path: when, at what price, and how much traded there.
    public struct Point: Hashable, Sendable {
        public var time: EpochMillis
        public var price: Price
        public var volume: Quantity
    }

    /// How many ticks a bar becomes.
    public static let pointCount = 4

    /// The four points, in time order.
    public let points: [Point]

    /// The points' offsets from the bar's open time, in milliseconds.
    public static func offsets(_ interval: KlineInterval) -> [Int64] {
        let length = interval.milliseconds
        return [0, length / 3, 2 * length / 3, length - 1]
    }

    /// The price of point `index` (0…3) of a bar with these prices, in units: the open, the low then the high (the high
    /// then the low when the bar closed below its open), the close.
    public static func price(_ index: Int, open: Int64, high: Int64, low: Int64, close: Int64) -> Int64 {
        switch index {
        case 0: open
        case 3: close
        default: (index == 1) == (close >= open) ? low : high
        }
    }

    /// The path of `kline`.
    public init(_ kline: Kline) {
        let start = kline.openTime.rawValue
        let times = Self.offsets(kline.interval).map { start + $0 }
        let prices = (0..<4).map {
            Price(units: Self.price($0, open: kline.open.units, high: kline.high.units, low: kline.low.units, close: kline.close.units))
        }
        let share = kline.volume.units / 4
        let volumes = [share, share, share, kline.volume.units - 3 * share]
        points = (0..<4).map { Point(time: EpochMillis(times[$0]), price: prices[$0], volume: Quantity(units: volumes[$0])) }
    }

    /// The price on the path at `time`, linearly interpolated between points (to 10⁻⁸, nearest)
    /// and held flat before the first point and after the last.
    ///
    /// Used for a replayed mark price whose bars are longer than the trade bars (8h mark, 1m trades).
    public func price(at time: EpochMillis) -> Price {
        guard let first = points.first, let last = points.last else { return .zero }
        if time <= first.time { return first.price }
        if time >= last.time { return last.price }
        for (a, b) in zip(points, points.dropFirst()) where time <= b.time {
            let span = Int128(b.time.rawValue - a.time.rawValue)
            let elapsed = Int128(time.rawValue - a.time.rawValue)
            let delta = Int128(b.price.units - a.price.units) * elapsed
            // Nearest, halves away from zero: |delta| / span fits Int64 since it is at most |b − a|.
            let step = (delta.magnitude * 2 + UInt128(span)) / (UInt128(span) * 2)
            let signed = delta < 0 ? -Int64(step) : Int64(step)
            return Price(units: a.price.units + signed)
        }
        return last.price
    }
}
