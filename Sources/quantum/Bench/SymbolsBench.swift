import ArgumentParser
import Foundation
import QuantumCore
import QuantumSim
#if canImport(Glibc)
import Glibc
#endif

/// `quantum bench symbols`: how memory and per-bar work grow with the number of symbols traded.
///
/// Each count runs as its own `quantum run` process on the embedded exchange's synthetic market (the first N
/// symbols of its 300-symbol listing), faster than real time so the market is paced: each minute's bars wait until
/// the whole system has handled them, and that wait is the per-bar work measured. Peak RSS is the child's own
/// (`wait4`), so one count's memory never hides another's.
struct SymbolsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symbols",
        abstract: "Peak RSS and per-bar work (p50/p99) of the whole system at several symbol counts, each a `quantum run` process.")

    @Option(help: "Comma-separated symbol counts (at most \(SyntheticUniverse.size)).") var counts = "10,50,300"
    @Option(help: "Market minutes each run trades (the first, until the system has caught up once, are warm-up and not counted).") var minutes = 20
    @Option(help: "Market speed of each run (paced: the market waits for the system at every bar).") var speed = 10.0

    private var countList: [Int] { counts.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } }

    func validate() throws {
        let list = countList
        guard !list.isEmpty, list.count == counts.split(separator: ",").count, list.allSatisfy({ (1...SyntheticUniverse.size).contains($0) }) else {
            throw ValidationError("--counts: comma-separated counts within 1…\(SyntheticUniverse.size), got \(counts)")
        }
        guard (1...1_440).contains(minutes) else { throw ValidationError("--minutes must be 1…1440") }
        guard speed > 1, speed <= 1_000 else { throw ValidationError("--speed must be above 1 (paced) and at most 1000") }
    }

    func run() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
        print("symbols: each count a `quantum run` on the synthetic market, \(minutes) market minutes at \(speed)× (paced), SQLite state")
        print("symbols   peak RSS   bar work p50   bar work p99   max          bars   not caught up   warm-up bars   wall")
        for count in countList {
            let figures = try measure(count: count, executable: executable)
            print(String(format: "%7d   %6.1f MB   %9.1f ms   %9.1f ms   %7.1f ms   %4d   %13d   %12d   %5.1f s",
                         count, Double(figures.peakKilobytes) / 1024, figures.work.p50, figures.work.p99, figures.work.max,
                         figures.work.bars, figures.work.gaveUp, figures.work.warmUp, figures.wall))
            fflush(nil)
        }
    }

    private struct Figures {
        var peakKilobytes: Int
        var work: (bars: Int, p50: Double, p99: Double, max: Double, gaveUp: Int, warmUp: Int)
        var wall: Double
    }

    /// Runs one `quantum run` child for `count` symbols and reads its summary and peak RSS.
    private func measure(count: Int, executable: String) throws -> Figures {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("quantum-bench-symbols-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = directory.appendingPathComponent("summary.json").path
        let symbols = SyntheticUniverse.symbols(count: count).map(\.rawValue).joined(separator: ",")
        let arguments = [executable, "run", "--symbols", symbols, "--speed", String(speed), "--duration", "\(minutes)m",
                         "--state", directory.appendingPathComponent("state").path, "--summary-json", summary,
                         "--dashboard-port", "0", "--progress-every", "0", "--log-level", "critical"]
        let started = ContinuousClock.now
        let (status, peak) = try Self.spawnAndWait(arguments, output: directory.appendingPathComponent("run.log").path)
        let wall = (ContinuousClock.now - started).seconds
        guard status == 0 else {
            let log = (try? String(contentsOfFile: directory.appendingPathComponent("run.log").path, encoding: .utf8)) ?? ""
            throw ValidationError("the run with \(count) symbols exited with status \(status):\n\(log.suffix(2_000))")
        }
        guard let data = FileManager.default.contents(atPath: summary),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let work = object["bar_work"] as? [String: Any],
              let bars = work["bars"] as? Int, let p50 = work["p50_ms"] as? Double, let p99 = work["p99_ms"] as? Double,
              let max = work["max_ms"] as? Double, let gaveUp = work["gave_up"] as? Int, let warmUp = work["warm_up_bars"] as? Int else {
            throw ValidationError("the run with \(count) symbols wrote no per-bar figures to \(summary)")
        }
        return Figures(peakKilobytes: peak, work: (bars, p50, p99, max, gaveUp, warmUp), wall: wall)
    }

    /// Spawns `arguments` with standard output and error into `output`, waits, and returns its exit status and peak RSS (kB).
    private static func spawnAndWait(_ arguments: [String], output: String) throws -> (status: Int32, peakKilobytes: Int) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw ValidationError("cannot start \(arguments[0]): error \(spawned)") }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) == -1 {
            guard errno == EINTR else { throw ValidationError("wait4 failed: errno \(errno)") }
        }
        // WIFEXITED/WEXITSTATUS: the low 7 bits are the signal (0 when it exited), the next 8 the exit code.
        let exit = status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, usage.ru_maxrss)
    }
}
