import ArgumentParser
import Foundation
import Logging
import QuantumCore
import QuantumOps
import QuantumServices

/// `quantum doctor`: the seed report's diagnosis in one command, or (`--preflight`) a deployment's checks before start.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Diagnose a state directory (services, exits, duplicates, drift, protection, lag, guards); exit 2 on a critical finding.",
        discussion: """
            Works on a running system and on a stopped one (a clean stop is not a fault). With --preflight it checks a \
            deployment instead: the configuration parses, keys are present for the venue, the state directory is \
            writable, the dashboard port is free, the venue is reachable and in one-way mode.
            """)

    @OptionGroup var state: StateOptions
    @Flag(help: "JSON output.") var json = false
    @Option(help: "How many of the latest plans to list.") var last = 10
    @Flag(help: "Check a deployment before start instead of diagnosing a state.") var preflight = false
    @OptionGroup var trading: TradingOptions
    @Option(help: "Preflight: the venue's REST base URL (default: the embedded exchange).") var venue: String?
    @Option(help: "Preflight: API key (else QUANTUM_VENUE_API_KEY).") var apiKey: String?
    @Option(help: "Preflight: API secret (else QUANTUM_VENUE_API_SECRET).") var apiSecret: String?
    @Option(help: "Preflight: the dashboard address that must be free.") var dashboardHost = "127.0.0.1"
    @Option(help: "Preflight: the dashboard port that must be free.") var dashboardPort = 8080

    func validate() throws {
        guard (1...1_000).contains(last) else { throw ValidationError("--last must be 1…1000, got \(last)") }
        guard (0...65_535).contains(dashboardPort) else { throw ValidationError("--dashboard-port must be 0…65535") }
        if (apiKey == nil) != (apiSecret == nil) { throw ValidationError("--api-key and --api-secret go together") }
    }

    func run() async throws {
        if preflight {
            let report = await Preflight(state: state, trading: trading, venue: venue, apiKey: apiKey, apiSecret: apiSecret,
                                         dashboardHost: dashboardHost, dashboardPort: dashboardPort).run()
            print(json ? report.json : report.text, terminator: "")
            if report.exitCode != 0 { throw ExitCode(report.exitCode) }
            return
        }
        let (log, store) = try state.open(create: false)
        let snapshot = try await SnapshotReader(log: log, store: store).read(recent: last)
        let report = DoctorReport(snapshot: snapshot, wallNow: SystemEpochClock().now())
        print(json ? report.json : report.text, terminator: "")
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }
}
