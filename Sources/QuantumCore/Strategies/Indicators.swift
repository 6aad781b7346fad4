/// Pure technical indicators over `Double` series, oldest value first.
///
/// Statistics only: the results feed confidences and proposed levels, never exact money.
/// Every function returns `nil` (or an empty series) when the input is too short.
public enum Indicators {
    /// Bollinger bands of one window: the mean and the mean ± `width` standard deviations.
    public struct BollingerBands: Hashable, Sendable {
        /// `middle − width·σ`.
        public var lower: Double
        /// The mean of the window.
        public var middle: Double
        /// `middle + width·σ`.
        public var upper: Double
    }

    /// Exponential moving average, seeded with the simple average of the first `period` values.
    ///
    /// `α = 2 / (period + 1)`, `EMAₜ = α·xₜ + (1 − α)·EMAₜ₋₁`, `EMA₍period−1₎ = mean(x₀ … x₍period−1₎)`.
    /// The result has `values.count − period + 1` elements: element `i` is the EMA at value
    /// `i + period − 1`, so the last element is always the EMA at the last value.
    public static func ema(_ values: [Double], period: Int) -> [Double] {
        guard period >= 1, values.count >= period else { return [] }
        let alpha = 2 / Double(period + 1)
        var current = values[0..<period].reduce(0, +) / Double(period)
        var result = [current]
        result.reserveCapacity(values.count - period + 1)
        for value in values[period...] {
            current = alpha * value + (1 - alpha) * current
            result.append(current)
        }
        return result
    }

    /// True range of each bar after the first: `max(high − low, |high − prevClose|, |low − prevClose|)`.
    ///
    /// Element `i` belongs to bar `i + 1`.
    public static func trueRanges(_ bars: [Bar]) -> [Double] {
        guard bars.count >= 2 else { return [] }
        return (1..<bars.count).map { i in
            let high = bars[i].high.doubleValue, low = bars[i].low.doubleValue
            let previousClose = bars[i - 1].close.doubleValue
            return max(high - low, abs(high - previousClose), abs(low - previousClose))
        }
    }

    /// Average true range with Wilder's smoothing, at the last bar.
    ///
    /// `ATR₁ = mean(TR₁ … TR_period)`, then `ATRₜ = (ATRₜ₋₁·(period − 1) + TRₜ) / period`.
    /// True ranges need a previous close, so at least `period + 1` bars are required.
    public static func atr(_ bars: [Bar], period: Int) -> Double? {
        guard period >= 1 else { return nil }
        return wilder(trueRanges(bars), period: period)
    }

    /// Relative strength index with Wilder's smoothing, at the last value (0…100).
    ///
    /// With changes `dₜ = xₜ − xₜ₋₁`, gains `max(dₜ, 0)` and losses `max(−dₜ, 0)` are each
    /// Wilder-smoothed (seeded with their mean over the first `period` changes);
    /// `RSI = 100 − 100 / (1 + avgGain / avgLoss)`. No losses gives 100, no movement at all 50.
    /// Needs at least `period + 1` values.
    public static func rsi(_ values: [Double], period: Int) -> Double? {
        guard period >= 1, values.count >= period + 1 else { return nil }
        let changes = zip(values, values.dropFirst()).map { $1 - $0 }
        guard let gain = wilder(changes.map { max($0, 0) }, period: period),
              let loss = wilder(changes.map { max(-$0, 0) }, period: period)
        else { return nil }
        if loss == 0 { return gain == 0 ? 50 : 100 }
        return 100 - 100 / (1 + gain / loss)
    }

    /// Bollinger bands over the last `period` values: mean ± `width`·σ, σ the population deviation.
    ///
    /// `μ = Σx / n`, `σ = √(Σ(x − μ)² / n)` with `n = period`.
    public static func bollinger(_ values: [Double], period: Int, width: Double) -> BollingerBands? {
        guard period >= 1, values.count >= period else { return nil }
        let window = values.suffix(period)
        let mean = window.reduce(0, +) / Double(period)
        let variance = window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(period)
        let deviation = variance.squareRoot()
        return BollingerBands(lower: mean - width * deviation, middle: mean, upper: mean + width * deviation)
    }

    /// Wilder's running average at the last value: seeded with the mean of the first `period`
    /// values, then `avgₜ = (avgₜ₋₁·(period − 1) + xₜ) / period`.
    static func wilder(_ values: [Double], period: Int) -> Double? {
        guard period >= 1, values.count >= period else { return nil }
        var average = values[0..<period].reduce(0, +) / Double(period)
        for value in values[period...] {
            average = (average * Double(period - 1) + value) / Double(period)
        }
        return average
    }
}
