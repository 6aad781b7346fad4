import ArgumentParser
import Foundation
import QuantumCore
import QuantumSoak

/// `quantum soak`: the whole system on simulated time, seed after seed, with the exchange misbehaving and its
/// processes crashing; every invariant checked against the exchange's records. A failing seed replays exactly.
struct SoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Run the whole system on simulated time under seeded faults and check its invariants.",
        discussion: """
            Each seed runs market-state, signal-bot, intent-bridge, the apply-layer, exit-brain, harvest and the health \
            monitor with the real Binance adapter against the paper exchange, in one process, on one seeded scheduler \
            and virtual clock: no wall-clock reads, no sockets, no real sleeps. The same seed gives the same trace. \
            Exit 1 when an invariant broke, with the seed, the first violation, a trace excerpt and the command that \
            replays it.
            """)

    @Option(help: "Seeds: N, N-M, or a comma-separated list of either.") var seeds = "1-20"
    @Option(help: "Simulated time per seed (e.g. 24h, 90m).") var duration = "24h"
    @Option(help: "Symbols: a number (the first N of BTCUSDT,ETHUSDT,SOLUSDT,BNBUSDT,XRPUSDT) or a comma-separated list.") var symbols = "5"
    @Option(help: "Fault kinds: all, none, or a comma-separated list (see --list-faults).") var faults = "all"
    @Option(help: "Faults injected per simulated hour.") var faultsPerHour = 24.0
    @Option(help: "Time between two ticks of a symbol in the synthetic market (e.g. 1s, 5s).") var tick = "1s"
    @Option(help: "Flash moves per symbol and simulated day in the synthetic market (one-tick jumps through stops).")
    var flashMovesPerDay = 4.0
    @Option(help: "Seeds run at once, each on a thread of its own (default: the machine's cores).") var jobs: Int?
    @Option(help: "Replay the 1-minute klines under this directory instead of the synthetic market.") var data: String?
    @Option(help: "Where the full trace of a seed with a violation is written.") var traceDir = "soak-traces"
    @Flag(help: "Print the summary as JSON.") var json = false
    @Flag(help: "List the fault kinds and the invariants, and exit.") var listFaults = false

    func validate() throws {
        _ = try seedList()
        _ = try DurationText.parse(duration, option: "--duration")
        let step = try DurationText.parse(tick, option: "--tick")
        guard step >= .milliseconds(100), step <= .seconds(60) else { throw ValidationError("--tick must be within 100ms…60s, got \(tick)") }
        guard flashMovesPerDay.isFinite, flashMovesPerDay >= 0, flashMovesPerDay <= 1_440 else {
            throw ValidationError("--flash-moves-per-day must be within 0…1440, got \(flashMovesPerDay)")
        }
        if let jobs, jobs < 1 || jobs > 64 { throw ValidationError("--jobs must be within 1…64, got \(jobs)") }
        _ = try symbolList()
        _ = try faultSet()
        guard faultsPerHour.isFinite, faultsPerHour >= 0, faultsPerHour <= 3_600 else {
            throw ValidationError("--faults-per-hour must be within 0…3600, got \(faultsPerHour)")
        }
    }

    func run() async throws {
        if listFaults {
            print("faults: " + SoakFault.allCases.map(\.rawValue).joined(separator: ", "))
            print("invariants: " + SoakInvariant.allCases.map(\.rawValue).joined(separator: ", "))
            return
        }
        DeterministicHashing.ensure()
        var configuration = SoakConfiguration()
        configuration.duration = try DurationText.parse(duration, option: "--duration")
        configuration.settle = min(configuration.settle, configuration.duration / 4)
        configuration.symbols = try symbolList()
        configuration.faults = try faultSet()
        configuration.faultsPerHour = faultsPerHour
        configuration.tick = try DurationText.parse(tick, option: "--tick")
        configuration.flashMovesPerDay = flashMovesPerDay
        configuration.data = data.map { URL(fileURLWithPath: $0) }
        let traces = URL(fileURLWithPath: traceDir)
        configuration.traceDirectory = traces
        let terminal = isatty(STDOUT_FILENO) == 1 && !json
        let seeds = try seedList()
        let parallel = min(jobs ?? ProcessInfo.processInfo.activeProcessorCount, seeds.count)
        if terminal { print("\(seeds.count) seeds of \(duration) on \(configuration.symbols.count) symbols, \(parallel) at a time") }
        let wall = ContinuousClock.now
        let settings = configuration
        var outcomes: [SoakOutcome] = []
        await withTaskGroup(of: SoakOutcome.self) { group in
            var pending = seeds[...]
            for _ in 0..<parallel {
                guard let seed = pending.popFirst() else { break }
                group.addTask { await SoakRun.run(seed: seed, configuration: settings) }
            }
            for await outcome in group {
                outcomes.append(outcome)
                if terminal {
                    let broken = outcome.violations.values.reduce(0, +)
                    print(String(format: "seed %llu: %d trades, %d faults, %d violations, %.1f s", outcome.seed, outcome.trades,
                                 outcome.faultsInjected.values.reduce(0, +), broken, outcome.wallSeconds))
                }
                if let seed = pending.popFirst() { group.addTask { await SoakRun.run(seed: seed, configuration: settings) } }
            }
        }
        outcomes.sort { $0.seed < $1.seed }
        let elapsed = ContinuousClock.now - wall
        if terminal { print(String(format: "%.1f s wall in all", elapsed.seconds)) }
        let report = SoakReport(outcomes: outcomes, command: replayCommand)
        print(json ? report.json : report.text)
        if outcomes.contains(where: \.violated) { throw ExitCode(1) }
    }

    /// The command that replays one seed exactly.
    func replayCommand(_ seed: UInt64) -> String {
        var parts = ["SWIFT_DETERMINISTIC_HASHING=1 quantum soak --seeds \(seed) --duration \(duration) --symbols \(symbols) --faults \(faults)"]
        if faultsPerHour != 24 { parts.append("--faults-per-hour \(faultsPerHour)") }
        if tick != "1s" { parts.append("--tick \(tick)") }
        if flashMovesPerDay != 4 { parts.append("--flash-moves-per-day \(flashMovesPerDay)") }
        if let data { parts.append("--data \(data)") }
        return parts.joined(separator: " ")
    }

    func seedList() throws -> [UInt64] {
        var list: [UInt64] = []
        for part in seeds.split(separator: ",") {
            let bounds = part.split(separator: "-").map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            switch bounds.count {
            case 1 where bounds[0] != nil: list.append(bounds[0]!)
            case 2 where bounds[0] != nil && bounds[1] != nil && bounds[0]! <= bounds[1]! && bounds[1]! - bounds[0]! < 1_000_000:
                list += Array(bounds[0]!...bounds[1]!)
            default: throw ValidationError("--seeds must be N, N-M or a list of them, got '\(seeds)'")
            }
        }
        guard !list.isEmpty else { throw ValidationError("--seeds names no seed") }
        return list
    }

    func symbolList() throws -> [Symbol] {
        let builtIn = SoakConfiguration().symbols
        if let count = Int(symbols) {
            guard (1...builtIn.count).contains(count) else { throw ValidationError("--symbols N must be within 1…\(builtIn.count), got \(count)") }
            return Array(builtIn.prefix(count))
        }
        let list = symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        let parsed = list.compactMap(Symbol.init(rawValue:))
        guard parsed.count == list.count, !parsed.isEmpty, Set(parsed).count == parsed.count else {
            throw ValidationError("--symbols must be a number or a list of distinct symbols, got '\(symbols)'")
        }
        return parsed
    }

    func faultSet() throws -> Set<SoakFault> {
        switch faults.lowercased() {
        case "all": return Set(SoakFault.allCases)
        case "none": return []
        default:
            var set: Set<SoakFault> = []
            for name in faults.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard let fault = SoakFault(rawValue: name) else {
                    throw ValidationError("--faults: unknown fault '\(name)'; known: \(SoakFault.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                set.insert(fault)
            }
            return set
        }
    }
}

/// Swift seeds its hashing per process; a soak's trace must not depend on that (dictionaries iterate in hash order).
/// Without `SWIFT_DETERMINISTIC_HASHING` set, the process starts itself again with it.
enum DeterministicHashing {
    static func ensure() {
        guard ProcessInfo.processInfo.environment["SWIFT_DETERMINISTIC_HASHING"] == nil else { return }
        setenv("SWIFT_DETERMINISTIC_HASHING", "1", 1)
        let arguments = CommandLine.arguments
        var pointers = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &pointers)
        // execv only returns on failure: go on, with the trace valid within this process only.
        FileHandle.standardError.write(Data("quantum soak: could not restart with deterministic hashing; traces compare within this process only\n".utf8))
    }
}
