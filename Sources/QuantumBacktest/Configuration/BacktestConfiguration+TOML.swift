import QuantumCore

extension BacktestConfiguration {
    /// What a configuration file says: the configuration, and what the file itself named.
    public struct File: Sendable {
        public var configuration: BacktestConfiguration
        /// `data.dir`, when the file names one.
        public var dataDirectory: String?
        /// Whether the file has a `[strategy]` table (`quantum run` then trades that strategy instead of its own).
        public var namesStrategy: Bool
        /// Whether the file sets `run.leverage`.
        public var namesLeverage: Bool
        /// Whether the file sets `run.notional` (`quantum run` then opens at that notional, not by risk).
        public var namesNotional = false
        /// `exits.rules`: which exits `quantum run` makes (the backtest makes the strategy's own only).
        public var exitRules = ExitRules.managed
    }

    /// Which exits a live run of the file makes.
    public enum ExitRules: String, Hashable, Sendable, CaseIterable {
        /// The live system's whole exit management: kill score, time limit, emergency R, the target on every mark, the
        /// harvest ladder and the profit lock, beside the exchange-side stop.
        case managed
        /// The strategy's own exits, as the backtest makes them: the exchange-side stop, and the target judged at each
        /// bar's close.
        case strategy
    }

    /// The tables a backtest configuration file may have.
    public static let tables: Set<String> = ["run", "data", "strategy", "symbols", "exits"]

    /// A configuration from a TOML file's text, with what the file itself named.
    ///
    /// Every key is checked: unknown keys, wrong types and out-of-range values are refused with the file, line, key,
    /// value and what is allowed.
    public static func parse(_ document: TOMLDocument) throws(ConfigurationError) -> File {
        var reader = ConfigurationReader(document)
        var markets: [Market] = []
        for (name, line) in reader.subtables(of: "symbols") {
            guard let symbol = Symbol(rawValue: name) else {
                throw ConfigurationError(.outOfRange, file: reader.file, line: line, key: "symbols.\(name)", "'\(name)' is not a symbol")
            }
            let maximum = FixedPoint<QuantityUnit>(units: 1_000_000 * Quantity.one)
            guard let step = try reader.decimal("symbols.\(name).step", above: .zero, atMost: maximum) else {
                throw ConfigurationError(.missing, file: reader.file, line: line, key: "symbols.\(name).step", "symbols.\(name) needs step (the quantity step, \"0.001\")")
            }
            guard let tick = try reader.decimal("symbols.\(name).tick", above: Price.zero, atMost: Price(units: 1_000_000 * Price.one)) else {
                throw ConfigurationError(.missing, file: reader.file, line: line, key: "symbols.\(name).tick", "symbols.\(name) needs tick (the price tick, \"0.1\")")
            }
            markets.append(Market(symbol: symbol, stepSize: step, tickSize: tick))
        }
        var configuration = BacktestConfiguration(markets: markets)
        let billion = Notional(units: 1_000_000_000 * Notional.one)
        if let balance = try reader.decimal("run.balance", above: .zero, atMost: billion) { configuration.balance = balance }
        if let leverage = try reader.integer("run.leverage", in: 1...125) { configuration.leverage = Leverage(rawValue: Int(leverage))! }
        if let fee = try reader.decimal("run.fee", above: Ratio(units: -1), atMost: Ratio(units: Ratio.one / 100)) { configuration.feeRate = fee }
        if let notional = try reader.decimal("run.notional", above: .zero, atMost: billion) { configuration.notionalPerTrade = notional }
        if let interval = try reader.string("run.interval", allowed: KlineInterval.allCases.map(\.rawValue)) {
            configuration.interval = KlineInterval(rawValue: interval)!
        }
        if let fill = try reader.string("run.protective_fill", allowed: ProtectiveFill.allCases.map(\.rawValue)) {
            configuration.protectiveFill = ProtectiveFill(rawValue: fill)!
        }
        if let fills = try reader.string("run.fills", allowed: Fills.allCases.map(\.rawValue)) {
            configuration.fills = Fills(rawValue: fills)!
        }
        if let ticks = try reader.integer("run.spread_ticks", in: 0...1_000) { configuration.halfSpreadTicks = ticks }
        if let funding = try reader.decimal("run.funding", above: Ratio(units: -Ratio.one / 100 - 1), atMost: Ratio(units: Ratio.one / 100)) {
            configuration.fundingRate = funding
        }
        let exitRules = try reader.string("exits.rules", allowed: ExitRules.allCases.map(\.rawValue)).flatMap(ExitRules.init(rawValue:))
        let dataDirectory = try reader.string("data.dir")
        for key in ["from", "to"] {
            guard let text = try reader.string("data.\(key)") else { continue }
            guard let time = BacktestTime.parse(text) else {
                throw ConfigurationError(.outOfRange, file: reader.file, line: document.entry("data.\(key)")?.line ?? 0, key: "data.\(key)",
                                         "data.\(key) = \"\(text)\" is not a UTC date; allowed: \"2025-05-04\" or \"2025-05-04T15:30\"")
            }
            if key == "from" { configuration.window.from = time } else { configuration.window.to = time }
        }
        if let days = try reader.integer("data.first_days", in: 1...36_500) { configuration.window.firstDays = Int(days) }
        if let gaps = try reader.string("data.gaps", allowed: BacktestData.GapPolicy.allCases.map(\.rawValue)) {
            configuration.gaps = BacktestData.GapPolicy(rawValue: gaps)!
        }
        _ = try reader.string("strategy.kind", allowed: ["ema_cross"])
        if let fast = try reader.integer("strategy.fast", in: 1...100_000) { configuration.strategy.fast = Int(fast) }
        if let slow = try reader.integer("strategy.slow", in: 2...100_000) { configuration.strategy.slow = Int(slow) }
        if let atr = try reader.integer("strategy.atr", in: 1...100_000) { configuration.strategy.atrPeriod = Int(atr) }
        if let stop = try reader.number("strategy.stop_atr", in: 0.01...1_000) { configuration.strategy.stopATR = stop }
        if let target = try reader.number("strategy.target_atr", in: 0.01...1_000) { configuration.strategy.targetATR = target }
        if let warmUp = try reader.integer("strategy.warmup", in: 1...1_000_000) { configuration.strategy.warmUp = Int(warmUp) }
        if let exitOnCross = try reader.boolean("strategy.exit_on_cross") { configuration.exitOnCross = exitOnCross }
        try reader.finish(tables: tables)
        guard !markets.isEmpty else {
            throw ConfigurationError(.missing, file: reader.file, line: 0, key: "symbols",
                                     "no [symbols.NAME] table: name at least one symbol with its step and tick")
        }
        do { _ = try configuration.strategy.validated() } catch {
            throw ConfigurationError(.outOfRange, file: reader.file, line: document.entry("strategy.fast")?.line ?? 0, key: "strategy",
                                     error.message)
        }
        return File(configuration: configuration, dataDirectory: dataDirectory, namesStrategy: !document.entries(under: "strategy").isEmpty,
                    namesLeverage: document.entry("run.leverage") != nil, namesNotional: document.entry("run.notional") != nil,
                    exitRules: exitRules ?? .managed)
    }

    /// Reads and checks a configuration file.
    public static func load(path: String) throws(ConfigurationError) -> File {
        let document: TOMLDocument
        do { document = try TOMLDocument.load(path: path) } catch { throw ConfigurationError(error) }
        return try parse(document)
    }
}
