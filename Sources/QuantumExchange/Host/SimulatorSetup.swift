import Foundation
import QuantumCore
import QuantumSim

/// Everything `quantum exchange` (and the embedded mode) needs to build a running simulator.
public struct SimulatorSetup: Sendable {
    /// Where prices come from.
    public enum Market: Sendable, Equatable {
        /// The seeded synthetic process, starting at the clock's time.
        case synthetic(seed: UInt64)
        /// Kline CSV files (`SYMBOL_1m_….csv`) under a directory, replayed as if starting now; funding
        /// files (`SYMBOL_funding_….csv`) found there give the rates.
        case replay(directory: URL)
        /// No feed: prices move only through `ExchangeHost.apply` or `POST /admin/market`.
        case manual
    }

    /// The credentials `quantum exchange` prints when none are given (documented in the README).
    public static let defaultCredential = APICredential(apiKey: "quantum-paper-key", secretKey: "quantum-paper-secret")

    public var market: Market = .synthetic(seed: 1)
    /// Time between two ticks of a symbol in the synthetic market.
    public var syntheticStep: Duration = .seconds(1)
    /// Flash moves per symbol and day in the synthetic market (price jumps that gap through stops).
    public var flashMovesPerDay = 0.0
    public var symbols: [Symbol] = [Symbol(rawValue: "BTCUSDT")!, Symbol(rawValue: "ETHUSDT")!]
    public var speed: ExchangeHost.Speed = .realTime
    public var startingBalance = Notional(units: 10_000 * 100_000_000)
    public var credentials: [APICredential] = [SimulatorSetup.defaultCredential]
    /// An exchangeInfo document to take symbol rules from (default: the built-in catalogue).
    public var exchangeInfo: URL?
    /// A leverageBracket document (default: the built-in brackets).
    public var brackets: URL?
    /// The funding rate where no recorded rate applies.
    public var fundingRate = Ratio(units: 10_000)
    /// Market time played before the start, instantly, so `klines` has this much history when clients connect
    /// (strategies warm up from it instead of waiting live). A replay spends its first bars on it.
    public var history: Duration = .zero

    public init() {}

    /// Builds the host: rules, brackets, engine, feed, desk.
    public func makeHost(clock: any EpochClock) throws -> ExchangeHost {
        let (desk, feed) = try makeDesk(start: clock.now())
        return ExchangeHost(desk: desk, feed: feed, clock: clock, speed: speed)
    }

    /// Builds the desk and its feed for a start time (the host's clock time).
    public func makeDesk(start: EpochMillis) throws -> (ExchangeDesk, (any MarketFeed & Sendable)?) {
        var rules: [Symbol: SymbolRules] = SyntheticUniverse.allRules
        if let exchangeInfo { rules = try ExchangeInfo.parse(Data(contentsOf: exchangeInfo)) }
        let unknown = symbols.filter { rules[$0] == nil }
        guard unknown.isEmpty else {
            let known = rules.keys.sorted().map(\.rawValue)
            let shown = known.count > 12 ? known.prefix(12).joined(separator: ", ") + ", … (\(known.count) in all)" : known.joined(separator: ", ")
            throw SetupError("unknown symbol \(unknown.map(\.rawValue).joined(separator: ", ")); listed: \(shown)")
        }
        let listed = rules.filter { symbols.contains($0.key) }
        let table = try brackets.map { try LeverageBracketTable.load(contentsOf: $0) } ?? SyntheticUniverse.brackets
        var funding = FundingSchedule(defaultRate: fundingRate)
        var feed: (any MarketFeed & Sendable)?
        let marketStart = EpochMillis(start.rawValue - history.wholeMilliseconds)
        switch market {
        case .manual:
            feed = nil
        case .synthetic(let seed):
            let instruments = try symbols.map { symbol throws -> SyntheticFeed.Instrument in
                guard let instrument = Self.syntheticInstruments[symbol] else {
                    throw SetupError("the synthetic market has no \(symbol.rawValue) (it has the \(SyntheticUniverse.size) symbols of `--symbols all`); replay files (--data) for it")
                }
                return instrument
            }
            var synthetic = SyntheticFeed.Configuration(instruments: instruments, seed: seed, startTime: marketStart, step: syntheticStep)
            synthetic.flashMovesPerDay = flashMovesPerDay
            feed = try SyntheticFeed(synthetic)
        case .replay(let directory):
            let files = try Self.csvFiles(under: directory)
            var klineFiles: [URL] = []
            for symbol in symbols {
                guard let file = files.first(where: { $0.lastPathComponent.hasPrefix("\(symbol.rawValue)_1m_") }) else {
                    throw SetupError("no 1-minute kline file \(symbol.rawValue)_1m_*.csv under \(directory.path)")
                }
                klineFiles.append(file)
            }
            for file in files where symbols.contains(where: { file.lastPathComponent.hasPrefix("\($0.rawValue)_funding_") }) {
                try funding.load(contentsOf: file)
            }
            let replay = try ReplayFeed.load(klineFiles: klineFiles)
            // Recorded funding is matched by recorded time, so it is shifted with the ticks.
            // Shifted by whole minutes, so recorded bars stay bars.
            let shifted = TimeShiftedFeed(replay, startingAt: EpochMillis(marketStart.rawValue - marketStart.rawValue % 60_000))
            funding = funding.shifted(by: shifted.offset)
            feed = shifted
        }
        var engine = SimulatedExchange(rules: listed)
        engine.useLeverageBrackets(table)
        var configuration = ExchangeDesk.Configuration(credentials: credentials, startingBalance: startingBalance)
        configuration.brackets = table
        // A replay shifted to the whole minute starts a little before `start`; the exchange's clock starts with it.
        var paper = PaperExchange(engine: engine, funding: funding, start: min(marketStart, feed?.nextTime ?? marketStart))
        if history > .zero, var played = feed {
            try Self.preRoll(&paper, feed: &played, until: start)
            feed = played
        }
        return (ExchangeDesk(paper: paper, configuration: configuration), feed)
    }

    /// The synthetic market's instruments by symbol: the catalogue's calibrated five and the synthetic universe.
    static let syntheticInstruments: [Symbol: SyntheticFeed.Instrument] = Dictionary(
        uniqueKeysWithValues: (SyntheticFeed.Instrument.all + SyntheticUniverse.instruments).map { ($0.symbol, $0) })

    /// Plays the feed into the exchange up to `start`: the history `klines` serves at the start.
    static func preRoll(_ paper: inout PaperExchange, feed: inout any MarketFeed & Sendable, until start: EpochMillis) throws {
        while let time = feed.nextTime, time < start, let tick = feed.next() { _ = paper.apply(tick) }
        guard feed.nextTime != nil else {
            throw SetupError("the market ends within the history asked for; ask for less history (--history-bars) or more data")
        }
    }

    /// The symbols a replay directory has 1-minute kline files of (`SYMBOL_1m_*.csv`), split into those the built-in
    /// catalogue lists (tradable) and those it does not.
    public static func replaySymbols(in directory: URL) throws -> (listed: [Symbol], unlisted: [String]) {
        var found = Set<String>()
        for file in try csvFiles(under: directory) {
            // `SYMBOL_1m_….csv` only, as the replay reads them (not `SYMBOL_mark_1m_…` or funding files).
            let parts = file.lastPathComponent.split(separator: "_", maxSplits: 2)
            guard parts.count == 3, parts[1] == "1m" else { continue }
            found.insert(String(parts[0]))
        }
        let names = found.sorted()
        let listed = names.compactMap { Symbol(rawValue: $0) }.filter { SymbolCatalog.rules[$0] != nil }
        return (listed, names.filter { name in !listed.contains { $0.rawValue == name } })
    }

    /// The `.csv` files under a directory, recursively, sorted by path.
    static func csvFiles(under directory: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw SetupError("cannot read the data directory \(directory.path)")
        }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "csv" }.sorted { $0.path < $1.path }
    }
}

/// A simulator that cannot be set up as asked, with the reason.
public struct SetupError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
