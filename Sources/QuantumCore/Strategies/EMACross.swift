/// The EMA-cross signal as an incremental kernel: one bar in, at most one cross out, O(1) per bar.
///
/// A fast and a slow exponential average of the close (alpha = 2/(n+1), each seeded with the first close) and
/// Wilder's average true range (alpha = 1/n, seeded with the first bar's high − low). A cross up is
/// `previous diff ≤ 0 < diff`, a cross down `previous diff ≥ 0 > diff`, where diff = fast − slow; crosses are
/// reported only from bar index `warmUp` on. The backtest steps this kernel over columns of bars, and
/// `EMACrossStrategy` folds it over the live bar window, so both make the same decisions from the same bars.
/// Indicator arithmetic is `Double` (statistics); prices leave the kernel only as exact levels.
public struct EMACross: Sendable {
    /// Periods, multiples and the warm-up of the signal.
    public struct Configuration: Hashable, Sendable {
        /// Period of the fast average.
        public var fast = 20
        /// Period of the slow average.
        public var slow = 50
        /// Period of the average true range.
        public var atrPeriod = 14
        /// The stop's distance from the entry, in ATRs.
        public var stopATR = 1.5
        /// The target's distance from the entry, in ATRs.
        public var targetATR = 3.0
        /// The first bar index (0-based) that may signal; `nil` means the slow period.
        public var warmUp: Int?

        public init() {}

        /// The first bar index that may signal.
        public var firstSignalIndex: Int { warmUp ?? slow }

        /// Refuses periods below 1, a fast average not faster than the slow one, and non-positive multiples.
        public func validated() throws(StrategyConfigurationError) -> Self {
            guard fast >= 1, slow >= 1, atrPeriod >= 1 else {
                throw StrategyConfigurationError(.invalidPeriod, "periods must be at least 1 (fast \(fast), slow \(slow), atr \(atrPeriod))")
            }
            guard fast < slow else { throw StrategyConfigurationError(.invalidPeriod, "fast \(fast) must be shorter than slow \(slow)") }
            guard stopATR.isFinite, stopATR > 0, targetATR.isFinite, targetATR > 0 else {
                throw StrategyConfigurationError(.invalidParameter, "stop and target multiples must be positive (\(stopATR), \(targetATR))")
            }
            if let warmUp, warmUp < 1 { throw StrategyConfigurationError(.invalidPeriod, "warm-up \(warmUp) must be at least 1") }
            return self
        }
    }

    /// A cross of the fast average through the slow one, on the bar just stepped.
    public enum Cross: Hashable, Sendable {
        /// Fast rose above slow: go long (or close a short).
        case up
        /// Fast fell below slow: go short (or close a long).
        case down

        /// The position direction the cross calls for.
        public var direction: Direction { self == .up ? .long : .short }
    }

    public let configuration: Configuration
    /// Bars stepped so far.
    public private(set) var index = 0
    /// The fast average after the last bar.
    public private(set) var fastAverage = 0.0
    /// The slow average after the last bar.
    public private(set) var slowAverage = 0.0
    /// The average true range after the last bar.
    public private(set) var averageTrueRange = 0.0
    private var previousClose = 0.0
    private var previousDiff = 0.0
    private let fastAlpha: Double
    private let slowAlpha: Double
    private let atrAlpha: Double
    private let firstSignal: Int

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        fastAlpha = 2 / Double(configuration.fast + 1)
        slowAlpha = 2 / Double(configuration.slow + 1)
        atrAlpha = 1 / Double(configuration.atrPeriod)
        firstSignal = configuration.firstSignalIndex
    }

    /// Steps one closed bar; returns the cross it makes, if any.
    public mutating func step(high: Double, low: Double, close: Double) -> Cross? {
        defer { index += 1 }
        if index == 0 {
            fastAverage = close
            slowAverage = close
            averageTrueRange = high - low
            previousClose = close
            previousDiff = 0
            return nil
        }
        let trueRange = max(high - low, abs(high - previousClose), abs(low - previousClose))
        averageTrueRange += atrAlpha * (trueRange - averageTrueRange)
        fastAverage += fastAlpha * (close - fastAverage)
        slowAverage += slowAlpha * (close - slowAverage)
        previousClose = close
        let diff = fastAverage - slowAverage
        defer { previousDiff = diff }
        guard index >= firstSignal else { return nil }
        if previousDiff <= 0, diff > 0 { return .up }
        if previousDiff >= 0, diff < 0 { return .down }
        return nil
    }

    /// The stop and target of an entry at `price` in `direction`, from the last bar's ATR (statistical levels).
    public func levels(entry price: Double, direction: Direction) -> (stop: Double, target: Double) {
        let sign: Double = direction == .long ? 1 : -1
        return (price - sign * configuration.stopATR * averageTrueRange, price + sign * configuration.targetATR * averageTrueRange)
    }
}
