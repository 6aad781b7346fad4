import Foundation

/// A symbol's market regime as of one bar: volatility, trend, and regime probabilities.
public struct MarketState: Hashable, Sendable {
    /// Robust per-bar volatility of log returns (≥ 1e-6).
    public var sigma: Double
    /// Robust trend slope: log-price change per bar (signed).
    public var mu: Double
    /// Trend strength `|mu| / (sigma + ε)`.
    public var ts: Double
    public var pTrend: Double
    /// Mean-reversion probability.
    public var pMR: Double
    public var pChop: Double
    /// Bars seen so far.
    public var bars: Int

    public init(sigma: Double, mu: Double, ts: Double, pTrend: Double, pMR: Double, pChop: Double, bars: Int) {
        self.sigma = sigma
        self.mu = mu
        self.ts = ts
        self.pTrend = pTrend
        self.pMR = pMR
        self.pChop = pChop
        self.bars = bars
    }
}

/// Computes `MarketState` incrementally, one closed bar at a time (seed-system §3.3, made explicit).
///
/// With log returns `r_t = ln(C_t / C_{t−1})` over a window of the last `window` returns:
/// * **sigma** = max(½·σ_EWMA + ½·σ_MAD, 1e-6), where σ_EWMA is an EWMA (decay λ) of returns
///   winsorized at ±`winsorK`·σ_EWMA, and σ_MAD = 1.4826 · median|r − median(r)|;
/// * **mu** = ½·Theil–Sen slope + ½·least-squares slope of log prices over the window;
/// * **ts** = |mu| / (sigma + 1e-12);
/// * directional persistence `dp = 2·(share of returns with the sign of mu) − 1` ∈ [−1, 1];
/// * variance ratio `VR = Var(q-bar sums) / (q·Var(r))` with q = 4 (≈1 random walk, <1 mean-reverting, >1 trending);
/// * scores `s_trend = 4·ts + 2·max(dp, 0) + max(VR − 1, 0)`, `s_mr = 2·max(1 − VR, 0) + max(−dp, 0)`,
///   `s_chop = 1 − min(ts, 1)`; probabilities are their softmax at temperature `temperature`.
public struct MarketStateEstimator: Sendable {
    public struct Configuration: Hashable, Sendable {
        public var window = 30
        public var ewmaDecay = 0.94
        public var winsorK = 3.0
        public var temperature = 0.5
        /// Bars needed before a state is reported.
        public var warmup = 20

        public init() {}
    }

    public let configuration: Configuration
    private var closes: [Double] = []
    private var ewmaVariance: Double?
    private var bars = 0

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Feeds one closed bar's close price; returns the state once warmed up. Non-positive prices are ignored.
    public mutating func update(close: Price) -> MarketState? {
        let price = close.doubleValue
        guard price > 0, price.isFinite else { return nil }
        if let last = closes.last {
            let r = log(price / last)
            let sigmaPrev = ewmaVariance.map { $0.squareRoot() } ?? Swift.abs(r)
            let bound = configuration.winsorK * max(sigmaPrev, 1e-9)
            let clipped = min(max(r, -bound), bound)
            let lambda = configuration.ewmaDecay
            ewmaVariance = ewmaVariance.map { lambda * $0 + (1 - lambda) * clipped * clipped } ?? clipped * clipped
        }
        closes.append(price)
        if closes.count > configuration.window + 1 { closes.removeFirst(closes.count - configuration.window - 1) }
        bars += 1
        guard bars > configuration.warmup, closes.count >= 3 else { return nil }
        return state()
    }

    private func state() -> MarketState {
        let logs = closes.map { log($0) }
        let returns = zip(logs.dropFirst(), logs).map { $0 - $1 }
        let med = Self.median(returns)
        let mad = 1.4826 * Self.median(returns.map { Swift.abs($0 - med) })
        let ewma = (ewmaVariance ?? 0).squareRoot()
        let sigma = max(0.5 * ewma + 0.5 * mad, 1e-6)

        var slopes: [Double] = []
        slopes.reserveCapacity(logs.count * logs.count / 2)
        for i in 0..<logs.count { for j in (i + 1)..<logs.count { slopes.append((logs[j] - logs[i]) / Double(j - i)) } }
        let n = Double(logs.count)
        let meanX = (n - 1) / 2
        let meanY = logs.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (i, y) in logs.enumerated() {
            sxy += (Double(i) - meanX) * (y - meanY)
            sxx += (Double(i) - meanX) * (Double(i) - meanX)
        }
        let mu = 0.5 * Self.median(slopes) + 0.5 * (sxx > 0 ? sxy / sxx : 0)
        let ts = Swift.abs(mu) / (sigma + 1e-12)

        let direction = mu >= 0 ? 1.0 : -1.0
        let agreeing = returns.filter { $0 * direction > 0 }.count
        let dp = 2 * Double(agreeing) / Double(max(returns.count, 1)) - 1
        let vr = Self.varianceRatio(returns, q: 4)

        let sTrend = 4 * ts + 2 * max(dp, 0) + max(vr - 1, 0)
        let sMR = 2 * max(1 - vr, 0) + max(-dp, 0)
        let sChop = 1 - min(ts, 1)
        let t = configuration.temperature
        let top = max(sTrend, sMR, sChop)
        let e = [sTrend, sMR, sChop].map { exp(($0 - top) / t) }
        let total = e.reduce(0, +)
        return MarketState(sigma: sigma, mu: mu, ts: ts, pTrend: e[0] / total, pMR: e[1] / total, pChop: e[2] / total, bars: bars)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    static func varianceRatio(_ returns: [Double], q: Int) -> Double {
        guard returns.count >= q * 2 else { return 1 }
        let mean = returns.reduce(0, +) / Double(returns.count)
        let variance = returns.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(returns.count)
        guard variance > 0 else { return 1 }
        var sums: [Double] = []
        for start in 0...(returns.count - q) { sums.append(returns[start..<(start + q)].reduce(0, +)) }
        let meanQ = sums.reduce(0, +) / Double(sums.count)
        let varianceQ = sums.map { ($0 - meanQ) * ($0 - meanQ) }.reduce(0, +) / Double(sums.count)
        return varianceQ / (Double(q) * variance)
    }
}
