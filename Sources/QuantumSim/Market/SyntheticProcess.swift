import Foundation
import QuantumCore

/// One symbol's regime-switching log-price process behind `SyntheticFeed`.
///
/// Per step of Δ minutes the log price x moves by the regime's rule plus noise `σ_b · m · √Δ · z`:
/// trend adds a drift, mean reversion pulls x toward the anchor by `1 − e^(−θΔ)` of the gap, chop and
/// spikes are noise only. The base volatility σ_b is the instrument's calibrated 1-minute σ divided by
/// `√(Σ πᵣ mᵣ²)`, where πᵣ ∝ weightᵣ × mean durationᵣ is the share of time spent in regime r, so the
/// long-run 1-minute σ of the mixture equals the calibrated figure.
struct SyntheticProcess: Sendable {
    let instrument: SyntheticFeed.Instrument
    private let configuration: SyntheticFeed.Configuration
    private let minutesPerStep: Double
    private let baseVolatility: Double
    private let floorLog: Double
    private let ceilingLog: Double
    private var random: SplitMix64
    private(set) var regime: SyntheticFeed.Regime
    private var stepsLeft: Int
    private var drift = 0.0
    private var anchor: Double
    private var logPrice: Double
    private var premium = 0.0

    init(_ instrument: SyntheticFeed.Instrument, configuration: SyntheticFeed.Configuration) {
        self.instrument = instrument
        self.configuration = configuration
        minutesPerStep = Double(configuration.step.wholeMilliseconds) / 60_000
        let regimes = configuration.regimes
        let total = regimes.values.reduce(0) { $0 + $1.weight * $1.meanMinutes }
        let meanSquare = regimes.values.reduce(0) {
            $0 + $1.weight * $1.meanMinutes / total * $1.volatilityMultiplier * $1.volatilityMultiplier
        }
        baseVolatility = instrument.oneMinuteVolatility / meanSquare.squareRoot()
        floorLog = log(instrument.tickSize.doubleValue)
        ceilingLog = log(1e9)
        logPrice = log(instrument.startPrice.doubleValue)
        anchor = logPrice
        random = SplitMix64(seed: configuration.seed, stream: instrument.symbol.rawValue)
        regime = .chop
        stepsLeft = 0
        enterNextRegime()
    }

    /// The tick at the current state.
    func tick(at time: EpochMillis) -> MarketTick {
        let last = price(exp(logPrice))
        let mark = price(exp(logPrice) * (1 + premium))
        return MarketTick(symbol: instrument.symbol, time: time, lastPrice: last, markPrice: mark, volume: lastVolume)
    }

    /// The volume traded in the latest step.
    private(set) var lastVolume = Quantity.zero

    /// Moves the process one step forward.
    mutating func step() {
        if stepsLeft <= 0 { enterNextRegime() }
        stepsLeft -= 1
        guard let parameters = configuration.regimes[regime] else { return }
        let noise = baseVolatility * parameters.volatilityMultiplier * minutesPerStep.squareRoot() * random.normal()
        switch regime {
        case .trend:
            logPrice += drift * minutesPerStep + noise
        case .meanReversion:
            logPrice -= (1 - exp(-configuration.reversionSpeed * minutesPerStep)) * (logPrice - anchor)
            logPrice += noise
        case .chop, .volatilitySpike:
            logPrice += noise
        }
        // A flash move (off unless configured, so the draws of a plain feed stay as they were).
        if configuration.flashMovesPerDay > 0, random.unit() < configuration.flashMovesPerDay * minutesPerStep / 1_440 {
            let range = configuration.flashMoveSize
            let size = (range.lowerBound + random.unit() * (range.upperBound - range.lowerBound)) * instrument.oneMinuteVolatility
            logPrice += random.unit() < 0.5 ? -size : size
        }
        logPrice = min(max(logPrice, floorLog), ceilingLog)
        let keep = exp(-minutesPerStep / configuration.markPremiumMinutes)
        premium = keep * premium + (1 - keep * keep).squareRoot() * configuration.markPremiumVolatility * random.normal()
        let expected = instrument.volumePerMinute.doubleValue * minutesPerStep * parameters.volatilityMultiplier
        let volume = expected * exp(0.5 * random.normal() - 0.125)  // log-normal with mean `expected`
        lastVolume = (try? Quantity(approximating: volume).rounded(toStep: instrument.stepSize, .down)) ?? .zero
    }

    /// Picks the next regime by weight, its duration, and its drift or anchor.
    private mutating func enterNextRegime() {
        let regimes = SyntheticFeed.Regime.allCases
        let total = regimes.reduce(0) { $0 + (configuration.regimes[$1]?.weight ?? 0) }
        var draw = random.unit() * total
        var chosen = regimes[regimes.count - 1]
        for candidate in regimes {
            let weight = configuration.regimes[candidate]?.weight ?? 0
            if weight > 0, draw < weight { chosen = candidate; break }
            draw -= weight
        }
        regime = chosen
        let minutes = random.exponential(mean: configuration.regimes[chosen]?.meanMinutes ?? 1)
        stepsLeft = max(1, Int((minutes / minutesPerStep).rounded()))
        let range = configuration.trendDrift
        let strength = range.lowerBound + random.unit() * (range.upperBound - range.lowerBound)
        drift = (random.unit() < 0.5 ? -1 : 1) * strength * instrument.oneMinuteVolatility
        anchor = logPrice
    }

    /// A price rounded to the tick, at least one tick.
    private func price(_ value: Double) -> Price {
        let tick = instrument.tickSize
        guard let exact = try? Price(approximating: value), let rounded = try? exact.rounded(toStep: tick, .nearest) else { return tick }
        return max(rounded, tick)
    }
}
