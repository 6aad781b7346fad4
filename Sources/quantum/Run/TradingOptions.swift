import ArgumentParser
import Foundation
import QuantumBacktest
import QuantumCore
import QuantumServices

/// The pipeline's settings on the command line, validated into one `TradingSystem.Configuration` (invariant 14).
struct TradingOptions: ParsableArguments {
    @Option(help: "A configuration file (TOML, as quantum backtest reads it): its [symbols.NAME] tables are the symbols traded, its [strategy] the one strategy signalled, run.leverage the leverage, run.notional the size of every open. Flags given on the command line win.")
    var config: String?
    @Option(help: "Comma-separated symbols to trade, or all: every symbol the venue lists (the embedded exchange lists 300). Default: the --config file's, else BTCUSDT,ETHUSDT.") var symbols: String?
    @Option(help: "Leverage of every open, 1–125 (default: the --config file's, else 5).") var leverage: Int?
    @Option(help: "Fraction of equity lost if a stop is hit, e.g. 0.01.") var riskPerTrade = "0.01"
    @Option(help: "Open every position at this notional (USDT, e.g. 1000) instead of by --risk-per-trade, as the backtest does (default: the --config file's run.notional, if it names one).") var notional: String?
    @Option(help: "Signal cadence, e.g. 60s, 5m.") var cadence = "60s"
    @Option(help: "Minimum signal confidence (0–1).") var minConfidence = 0.55
    @Flag(help: "Let the 24h momentum rule stand in (labelled) when no primary strategy signals.") var fallback = false
    @Option(help: "Comma-separated symbols that may be opened (default: all traded symbols). Exits are never filtered.") var allowlist: String?
    @Option(help: "Reconcile positions with the exchange this often.") var reconcileEvery = "30s"
    @Option(help: "Losing closes in a row that pause opens for the loss cool-down (risk guard).") var maxConsecutiveLosses = 3
    @Option(help: "How long opens stay paused after --max-consecutive-losses losing closes in a row.") var lossCoolDown = "4h"
    @Option(help: "Opens of one symbol within --churn-window that pause it (the churn breaker).") var churnLimit = 3
    @Option(help: "The churn breaker's window.") var churnWindow = "5m"
    @Option(help: "Every exit plan must have its result within this long (an alert and a count otherwise).") var exitDeadline = "5s"
    @Option(help: "Kill-score close threshold, in (0.5, 1).") var killThreshold = 0.6
    @Option(help: "Kill-score weights regime_flip,sigma_spike,ts_drop,age.") var killWeights = "1.0,0.5,0.5,0.3"
    @Option(help: "Harvest ladder as R:cumulative fraction of the peak, e.g. 2:0.25,4:0.5,6:0.75.") var ladder = "2:0.25,4:0.5,6:0.75"
    @Flag(help: "Scale the ladder's R levels by 1/sqrt(leverage) (the original's March variant).") var ladderLeverageScaled = false
    @Option(help: "R at which the stop moves to break-even plus 0.2 % (0 turns the profit lock off).") var profitLockR = 1.5
    @Option(help: "Trail the stop this many R behind the price after the last rung (0: no trailing).") var trailingR = 0.0

    /// `--symbols all`: every symbol the venue lists, which the caller finds out (`fallback`).
    var wantsAllSymbols: Bool { symbols?.trimmingCharacters(in: .whitespaces).lowercased() == "all" }

    /// The symbols of `--symbols`, else of the configuration file, else `fallback` (a replay's symbols, or the venue's
    /// listing for `--symbols all`), else BTCUSDT and ETHUSDT.
    func symbolList(_ file: BacktestConfiguration.File?, fallback: [Symbol]? = nil) -> [Symbol] {
        if wantsAllSymbols, let fallback { return fallback }
        guard let symbols else {
            return file?.configuration.markets.map(\.symbol) ?? fallback ?? [Symbol(rawValue: "BTCUSDT")!, Symbol(rawValue: "ETHUSDT")!]
        }
        return symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }.compactMap(Symbol.init(rawValue:))
    }

    func validate() throws {
        for name in (wantsAllSymbols ? "" : symbols ?? "").split(separator: ",") where Symbol(rawValue: name.trimmingCharacters(in: .whitespaces).uppercased()) == nil {
            throw ValidationError("--symbols: '\(name)' is not a symbol")
        }
        // `--symbols all` is read from the venue at the start; the rest of the settings are checked now, with a stand-in.
        _ = try configuration(defaultSymbols: wantsAllSymbols ? [Symbol(rawValue: "BTCUSDT")!] : nil)
    }

    /// The `--config` file, read and checked (its errors name the file, line and key).
    func configurationFile() throws -> BacktestConfiguration.File? {
        guard let config else { return nil }
        do { return try BacktestConfiguration.load(path: config) } catch { throw ValidationError(error.message) }
    }

    /// The validated configuration; `defaultSymbols` (a replay's symbols) stand in when neither `--symbols` nor the file name any.
    func configuration(defaultSymbols: [Symbol]? = nil) throws -> TradingSystem.Configuration {
        if wantsAllSymbols, defaultSymbols == nil {
            throw ValidationError("--symbols all is read from the venue's listing by quantum run; name the symbols here (comma-separated)")
        }
        let file = try configurationFile()
        let leverage = leverage ?? (file?.namesLeverage == true ? file?.configuration.leverage.rawValue : nil) ?? 5
        guard let lev = Leverage(rawValue: leverage) else {
            throw ValidationError("--leverage must be 1…125, got \(leverage)")
        }
        guard let risk = try? Ratio(parsing: riskPerTrade) else { throw ValidationError("--risk-per-trade must be a decimal such as 0.01, got \(riskPerTrade)") }
        let every = try DurationText.parse(cadence, option: "--cadence")
        var bot: SignalBot.Configuration
        do { bot = try SignalBot.Configuration.standard(minimumConfidence: minConfidence, fallback: fallback) } catch {
            throw ValidationError("strategies: \(error)")
        }
        if let file, file.namesStrategy {
            do { bot.strategies = [try EMACrossStrategy(file.configuration.strategy)] } catch { throw ValidationError("strategy: \(error)") }
        }
        let closesOnCross = file.map { $0.namesStrategy && $0.configuration.exitOnCross } ?? false
        var signals = SignalBotService.Configuration(bot: bot)
        signals.cadence = every
        var c = TradingSystem.Configuration(symbols: symbolList(file, fallback: defaultSymbols), signals: signals)
        c.bridge.leverage = lev
        c.bridge.closeOnOppositeSignal = closesOnCross
        c.bridge.sizing.riskPerTrade = risk
        if let notional {
            guard let stake = try? Notional(parsing: notional), stake.isPositive else {
                throw ValidationError("--notional must be a positive amount such as 1000, got \(notional)")
            }
            c.bridge.sizing.notionalPerTrade = stake
        } else if let file, file.namesNotional {
            c.bridge.sizing.notionalPerTrade = file.configuration.notionalPerTrade
        }
        c.executor.reconcileInterval = try DurationText.parse(reconcileEvery, option: "--reconcile-every")
        c.executor.exitDeadline = try DurationText.parse(exitDeadline, option: "--exit-deadline")
        guard (1...1_000).contains(maxConsecutiveLosses) else { throw ValidationError("--max-consecutive-losses must be 1…1000, got \(maxConsecutiveLosses)") }
        c.executor.risk.maxConsecutiveLosses = maxConsecutiveLosses
        c.executor.risk.lossPauseCoolDown = try DurationText.parse(lossCoolDown, option: "--loss-cool-down")
        guard (1...10_000).contains(churnLimit) else { throw ValidationError("--churn-limit must be 1…10000, got \(churnLimit)") }
        c.executor.churnLimit = churnLimit
        c.executor.churnWindow = try DurationText.parse(churnWindow, option: "--churn-window")
        try exitSettings(&c)
        if file?.exitRules == .strategy { Self.strategyExitsOnly(&c) }
        if let allowlist {
            c.allowlist = Set(allowlist.split(separator: ",").compactMap { Symbol(rawValue: $0.trimmingCharacters(in: .whitespaces).uppercased()) })
        }
        do { try c.validate() } catch { throw ValidationError(error.description) }
        return c
    }
}

extension TradingOptions {
    /// `exits.rules = "strategy"`: the strategy's own exits only, as its backtest makes them. The exchange-side stop
    /// stays (with exit-brain's stop rule behind it), the target is judged at each bar's close, and the kill score, the
    /// time limit, the emergency R, the harvest ladder, the profit lock and the trail are off.
    static func strategyExitsOnly(_ c: inout TradingSystem.Configuration) {
        c.exitBrain.brain.useKillScore = false
        c.exitBrain.brain.maxHoldTime = nil
        c.exitBrain.brain.emergencyR = nil
        c.exitBrain.brain.targetJudgement = .barClose
        c.harvest.harvest.takesRungs = false
        c.harvest.harvest.profitLock = nil
        c.harvest.harvest.trailing = nil
    }

    /// The exit-brain and harvest settings; the configuration's validation names what is wrong.
    func exitSettings(_ c: inout TradingSystem.Configuration) throws {
        let weights = killWeights.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard weights.count == 4, let rf = weights[0], let ss = weights[1], let td = weights[2], let ap = weights[3] else {
            throw ValidationError("--kill-weights must be four numbers regime_flip,sigma_spike,ts_drop,age, got '\(killWeights)'")
        }
        c.exitBrain.brain.killScore.regimeFlipWeight = rf
        c.exitBrain.brain.killScore.sigmaSpikeWeight = ss
        c.exitBrain.brain.killScore.trendDropWeight = td
        c.exitBrain.brain.killScore.ageWeight = ap
        c.exitBrain.brain.killScore.threshold = killThreshold
        var rungs: [HarvestLadder.Rung] = []
        for part in ladder.split(separator: ",") {
            let pieces = part.split(separator: ":")
            guard pieces.count == 2, let r = Double(pieces[0]), let fraction = try? Ratio(parsing: String(pieces[1])) else {
                throw ValidationError("--ladder must look like 2:0.25,4:0.5,6:0.75, got '\(ladder)'")
            }
            rungs.append(HarvestLadder.Rung(r: r, cumulativeFraction: fraction))
        }
        c.harvest.harvest.ladder = HarvestLadder(rungs: rungs)
        c.harvest.harvest.leverageScaled = ladderLeverageScaled
        guard profitLockR.isFinite, profitLockR >= 0, trailingR.isFinite, trailingR >= 0 else {
            throw ValidationError("--profit-lock-r and --trailing-r must be ≥ 0")
        }
        c.harvest.harvest.profitLock = profitLockR > 0 ? ProfitLock(lockAtR: profitLockR) : nil
        c.harvest.harvest.trailing = trailingR > 0 ? Harvest.Trailing(distanceR: trailingR) : nil
    }
}

/// Durations as people type them: `90s`, `10m`, `2h`, `1d`, `500ms`, or plain seconds.
enum DurationText {
    static func parse(_ text: String, option: String) throws -> Duration {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3_600), ("d", 86_400)]
        for (suffix, scale) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count)
            if let value = Double(number), value.isFinite, value > 0 { return .milliseconds(Int64((value * scale * 1_000).rounded())) }
        }
        if let value = Double(t), value.isFinite, value > 0 { return .milliseconds(Int64((value * 1_000).rounded())) }
        throw ValidationError("\(option) must be a positive duration such as 90s, 10m, 2h or 1d, got '\(text)'")
    }
}
