import ArgumentParser
import Foundation
import Logging
import QuantumBinance
import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumRedis
import QuantumServices
import QuantumSim
import QuantumVenue

/// `quantum bench pipeline`: intent → order-sent latency and executor plans per second, in embedded
/// mode (SQLite bus and state, the real adapter), with the simulator in process and over loopback HTTP.
struct PipelineBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Intent → order-sent latency (p50/p99) and executor plans per second, simulator in process and over loopback.",
        discussion: """
            Latency: round trips one at a time through intent-bridge and apply-layer, after one per symbol to warm up (an open intent, its fill, \
            a close intent, its fill), each timed from the intent's append to the moment its order is handed to \
            the transport. Throughput: a backlog of open and close plans over every symbol appended at once, \
            timed until the last result. Both on a fresh SQLite state in a temporary directory.
            """)

    enum Transport: String, ExpressibleByArgument, CaseIterable {
        case inProcess = "in-process"
        case loopback
        case both
    }

    @Option(help: "in-process, loopback or both.") var transport = Transport.both
    @Option(help: "Sequential open+close round trips for the latency figures (after one per symbol to warm up).") var roundTrips = 1_000
    @Option(help: "Open+close pairs per symbol in the throughput backlog.") var backlogRounds = 40
    @Option(help: "sqlite (embedded mode, durable), memory (no durability, to show its cost) or redis (with --redis).") var storage = "sqlite"
    @Option(help: "With --storage sqlite: power-cut (each commit fsynced, as against a real venue) or process-crash (no fsync, as the embedded paper exchange runs).")
    var durability = SQLiteDatabase.Durability.powerCut.rawValue
    @Option(help: "Redis URL for --storage redis (the bench writes under a namespace of its own).") var redis: String?
    @Option(help: "Symbols in the throughput backlog (their plans run side by side): the catalogue's five, then the synthetic listing's.") var symbols = 5
    @Option(help: "Log level of the services.") var logLevel = "error"

    func validate() throws {
        guard (1...100_000).contains(roundTrips), (1...100_000).contains(backlogRounds) else {
            throw ValidationError("--round-trips and --backlog-rounds must be within 1…100000")
        }
        guard (1...SyntheticUniverse.size).contains(symbols) else { throw ValidationError("--symbols must be within 1…\(SyntheticUniverse.size)") }
        _ = try storageChoice()
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level: trace … critical") }
    }

    private func storageChoice() throws -> PipelineBenchRun.Storage {
        switch storage {
        case "sqlite":
            guard let durability = SQLiteDatabase.Durability(rawValue: durability) else {
                throw ValidationError("--durability: power-cut or process-crash")
            }
            return .sqlite(durability)
        case "memory": return .memory
        case "redis":
            guard let redis else { throw ValidationError("--storage redis needs --redis URL") }
            do { _ = try RedisURL(redis) } catch { throw ValidationError("--redis: \(error)") }
            return .redis(url: redis)
        default: throw ValidationError("--storage: sqlite, memory or redis")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .error
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let modes: [PipelineBenchRun.Mode] = switch transport {
        case .inProcess: [.inProcess]
        case .loopback: [.loopback]
        case .both: [.inProcess, .loopback]
        }
        for mode in modes {
            let run = try await PipelineBenchRun.start(mode, storage: try storageChoice(), symbols: symbols)
            do {
                let latency = try await run.measureLatency(roundTrips: roundTrips)
                print("pipeline \(mode.rawValue), \(storage)\(storage == "sqlite" ? " (\(durability))" : "") bus and state: \(roundTrips) round trips (intent-bridge → apply-layer → venue)")
                print("  intent → order sent   opens:  \(latency.openSent.summary)")
                print("  intent → order sent   closes: \(latency.closeSent.summary)")
                print("  intent → result       all:    \(latency.result.summary)")
                let throughput = try await run.measureThroughput(rounds: backlogRounds)
                print("  executor: \(throughput.plans) plans (\(throughput.symbols) symbols, opens and closes) in "
                      + "\(BenchFormat.seconds(throughput.elapsed)) s = \(BenchFormat.rate(throughput.plans, throughput.elapsed)) plans/s; "
                      + "plan → result \(throughput.planToResult.summary)")
            } catch {
                await run.stop()
                throw error
            }
            await run.stop()
        }
    }
}
