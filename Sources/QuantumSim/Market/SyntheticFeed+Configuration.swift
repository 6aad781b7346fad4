import QuantumCore

extension SyntheticFeed {
    /// A market regime of the synthetic process.
    public enum Regime: String, CaseIterable, Hashable, Sendable {
        /// A steady drift up or down (direction and strength drawn on entry) plus noise.
        case trend
        /// An Ornstein–Uhlenbeck pull back to the price where the regime began.
        case meanReversion = "mean_reversion"
        /// Directionless noise at reduced volatility.
        case chop
        /// Short bursts of several times the usual volatility.
        case volatilitySpike = "volatility_spike"
    }

    /// How often a regime is chosen, how long it lasts and how volatile it is.
    public struct RegimeParameters: Hashable, Sendable {
        /// Relative chance of being chosen when a regime ends (regimes may repeat).
        public var weight: Double
        /// Mean duration in minutes (durations are exponentially distributed, at least one step).
        public var meanMinutes: Double
        /// Volatility relative to the instrument's base volatility.
        public var volatilityMultiplier: Double

        public init(weight: Double, meanMinutes: Double, volatilityMultiplier: Double) {
            self.weight = weight
            self.meanMinutes = meanMinutes
            self.volatilityMultiplier = volatilityMultiplier
        }
    }

    /// One simulated symbol: where it starts, its exchange steps, and its calibrated volatility.
    public struct Instrument: Hashable, Sendable {
        public var symbol: Symbol
        public var startPrice: Price
        /// Prices are rounded to this tick (PRICE_FILTER.tickSize).
        public var tickSize: Price
        /// Tick volumes are rounded down to this step (LOT_SIZE.stepSize).
        public var stepSize: Quantity
        /// Long-run standard deviation of 1-minute log returns (0.000528 = 0.0528 %).
        public var oneMinuteVolatility: Double
        /// Mean base volume per minute.
        public var volumePerMinute: Quantity

        public init(symbol: Symbol, startPrice: Price, tickSize: Price, stepSize: Quantity,
                    oneMinuteVolatility: Double, volumePerMinute: Quantity) {
            self.symbol = symbol
            self.startPrice = startPrice
            self.tickSize = tickSize
            self.stepSize = stepSize
            self.oneMinuteVolatility = oneMinuteVolatility
            self.volumePerMinute = volumePerMinute
        }

        /// BTCUSDT: 1m σ ≈ 0.0528 % and 128.47 BTC a minute, measured on
        /// `BTCUSDT_1m_20250504-20250603.csv` (43 198 close-to-close log returns); tick 0.1, step 0.001.
        public static let btcusdt = Instrument(
            symbol: Symbol("BTCUSDT"), startPrice: Price(units: 100_000 * Price.one), tickSize: Price(units: 10_000_000),
            stepSize: Quantity(units: 100_000), oneMinuteVolatility: 0.000528, volumePerMinute: Quantity(units: 12_847_000_000))

        /// ETHUSDT: 1m σ ≈ 0.1029 % and 4 648.87 ETH a minute, measured on
        /// `ETHUSDT_1m_20250504-20250615.csv` (60 190 close-to-close log returns); tick 0.01, step 0.001.
        public static let ethusdt = Instrument(
            symbol: Symbol("ETHUSDT"), startPrice: Price(units: 2_500 * Price.one), tickSize: Price(units: 1_000_000),
            stepSize: Quantity(units: 100_000), oneMinuteVolatility: 0.001029, volumePerMinute: Quantity(units: 464_887_000_000))

        /// SOLUSDT: 1m σ ≈ 0.1052 % and 15 377 SOL a minute, measured on `SOLUSDT_1m_20250504-20250603.csv`
        /// (43 199 returns); tick 0.01, step 1.
        public static let solusdt = Instrument(
            symbol: Symbol("SOLUSDT"), startPrice: Price(units: 150 * Price.one), tickSize: Price(units: 1_000_000),
            stepSize: Quantity(units: Quantity.one), oneMinuteVolatility: 0.001052, volumePerMinute: Quantity(units: 1_537_700 * Quantity.one / 100))

        /// BNBUSDT: 1m σ ≈ 0.0573 % and 462.77 BNB a minute, measured on `BNBUSDT_1m_20250504-20250603.csv`
        /// (43 198 returns); tick 0.01, step 0.01.
        public static let bnbusdt = Instrument(
            symbol: Symbol("BNBUSDT"), startPrice: Price(units: 600 * Price.one), tickSize: Price(units: 1_000_000),
            stepSize: Quantity(units: 1_000_000), oneMinuteVolatility: 0.000573, volumePerMinute: Quantity(units: 46_277 * Quantity.one / 100))

        /// XRPUSDT: 1m σ ≈ 0.0957 % and 472 810 XRP a minute, measured on `XRPUSDT_1m_20250504-20250603.csv`
        /// (43 198 returns); tick 0.0001, step 0.1.
        public static let xrpusdt = Instrument(
            symbol: Symbol("XRPUSDT"), startPrice: Price(units: 22 * Price.one / 10), tickSize: Price(units: 10_000),
            stepSize: Quantity(units: 10_000_000), oneMinuteVolatility: 0.000957, volumePerMinute: Quantity(units: 472_810 * Quantity.one))

        /// Every built-in instrument (the catalogue's five symbols).
        public static let all: [Instrument] = [.btcusdt, .ethusdt, .solusdt, .bnbusdt, .xrpusdt]
    }

    /// Everything that determines a synthetic feed; the same configuration gives the same ticks.
    public struct Configuration: Hashable, Sendable {
        public var instruments: [Instrument]
        public var seed: UInt64
        /// Time of the first ticks (the start prices).
        public var startTime: EpochMillis
        /// Time between successive ticks of a symbol (whole milliseconds).
        public var step: Duration
        /// No tick after this time; `nil` for an endless feed.
        public var endTime: EpochMillis?
        /// The regimes' parameters (every regime must be present).
        public var regimes: [Regime: RegimeParameters]
        /// Range of a trend's drift per minute, in units of the instrument's 1-minute σ.
        public var trendDrift: ClosedRange<Double>
        /// Mean reversion speed per minute (0.05: half the gap closes in about 14 minutes).
        public var reversionSpeed: Double
        /// Standard deviation of the mark premium over last (0.0002 = 2 bp).
        public var markPremiumVolatility: Double
        /// How many minutes the mark premium takes to decorrelate.
        public var markPremiumMinutes: Double
        /// Flash moves per symbol and day (0: none): the price jumps in one tick, gapping through any stop in between.
        public var flashMovesPerDay = 0.0
        /// A flash move's size in units of the instrument's 1-minute σ (10–30 σ: about 0.5–1.6 % for BTC).
        public var flashMoveSize: ClosedRange<Double> = 10...30

        /// The default regimes: trends and mean reversion most of the time, some chop, rare spikes.
        public static let defaultRegimes: [Regime: RegimeParameters] = [
            .trend: RegimeParameters(weight: 0.3, meanMinutes: 120, volatilityMultiplier: 1.0),
            .meanReversion: RegimeParameters(weight: 0.3, meanMinutes: 90, volatilityMultiplier: 1.0),
            .chop: RegimeParameters(weight: 0.3, meanMinutes: 60, volatilityMultiplier: 0.6),
            .volatilitySpike: RegimeParameters(weight: 0.1, meanMinutes: 10, volatilityMultiplier: 3.0),
        ]

        public init(instruments: [Instrument] = [.btcusdt, .ethusdt], seed: UInt64, startTime: EpochMillis,
                    step: Duration = .seconds(1), endTime: EpochMillis? = nil,
                    regimes: [Regime: RegimeParameters] = Configuration.defaultRegimes,
                    trendDrift: ClosedRange<Double> = 0.05...0.25, reversionSpeed: Double = 0.05,
                    markPremiumVolatility: Double = 0.0002, markPremiumMinutes: Double = 5) {
            self.instruments = instruments
            self.seed = seed
            self.startTime = startTime
            self.step = step
            self.endTime = endTime
            self.regimes = regimes
            self.trendDrift = trendDrift
            self.reversionSpeed = reversionSpeed
            self.markPremiumVolatility = markPremiumVolatility
            self.markPremiumMinutes = markPremiumMinutes
        }

        /// Throws the first setting that cannot give a sensible market.
        public func validate() throws(SyntheticFeedError) {
            func require(_ condition: Bool, _ field: String, _ detail: String) throws(SyntheticFeedError) {
                if !condition { throw SyntheticFeedError(.invalidConfiguration, "\(field): \(detail)") }
            }
            try require(!instruments.isEmpty, "instruments", "at least one instrument")
            try require(Set(instruments.map(\.symbol)).count == instruments.count, "instruments", "a symbol is given twice")
            for item in instruments {
                let name = "instruments[\(item.symbol)]"
                try require(item.tickSize.isPositive, "\(name).tickSize", "must be positive")
                try require(item.stepSize.isPositive, "\(name).stepSize", "must be positive")
                try require(item.startPrice >= item.tickSize, "\(name).startPrice", "must be at least one tick")
                try require(item.oneMinuteVolatility > 0 && item.oneMinuteVolatility < 0.5, "\(name).oneMinuteVolatility", "must be in (0, 0.5)")
                try require(!item.volumePerMinute.isNegative, "\(name).volumePerMinute", "must not be negative")
            }
            try require(step.wholeMilliseconds > 0, "step", "must be at least 1 ms")
            try require(Set(regimes.keys) == Set(Regime.allCases), "regimes", "every regime needs parameters")
            for (regime, parameters) in regimes {
                try require(parameters.weight >= 0 && parameters.weight.isFinite, "regimes[\(regime)].weight", "must be ≥ 0")
                try require(parameters.meanMinutes > 0 && parameters.meanMinutes.isFinite, "regimes[\(regime)].meanMinutes", "must be > 0")
                try require(parameters.volatilityMultiplier > 0 && parameters.volatilityMultiplier < 100,
                            "regimes[\(regime)].volatilityMultiplier", "must be in (0, 100)")
            }
            try require(regimes.values.contains { $0.weight > 0 }, "regimes", "some regime needs a positive weight")
            try require(trendDrift.lowerBound >= 0 && trendDrift.upperBound < 10, "trendDrift", "must be within [0, 10)")
            try require(reversionSpeed >= 0 && reversionSpeed < 10, "reversionSpeed", "must be within [0, 10)")
            try require(flashMovesPerDay >= 0 && flashMovesPerDay <= 1_440, "flashMovesPerDay", "must be within [0, 1440]")
            try require(flashMoveSize.lowerBound > 0 && flashMoveSize.upperBound <= 200, "flashMoveSize", "must be within (0, 200] σ")
            try require(markPremiumVolatility >= 0 && markPremiumVolatility < 0.1, "markPremiumVolatility", "must be within [0, 0.1)")
            try require(markPremiumMinutes > 0 && markPremiumMinutes.isFinite, "markPremiumMinutes", "must be > 0")
        }
    }
}

/// A synthetic feed configuration that cannot be used.
public struct SyntheticFeedError: CodedError, Hashable, Sendable {
    public enum Code: String, Hashable, Sendable {
        /// A setting is out of its range; the message names it.
        case invalidConfiguration = "invalid_configuration"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
}
