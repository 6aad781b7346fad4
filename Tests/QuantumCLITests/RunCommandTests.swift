import Foundation
import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumSim
import QuantumTestSupport
import QuantumVenue
import Testing

/// `quantum run` and `quantum service` refuse unsafe configurations before touching any venue.
@Suite(.timeLimit(.minutes(2))) struct RunCommandTests {
    @Test(arguments: [
        (["run", "--cadence", "0s"], "--cadence"),
        (["run", "--risk-per-trade", "0.5"], "risk per trade"),
        (["run", "--leverage", "200"], "--leverage"),
        (["run", "--duration", "soon"], "--duration"),
        (["run", "--speed", "fast"], "--speed"),
        (["run", "--durability", "sometimes"], "--durability must be power-cut or process-crash"),
        (["run", "--pace-wait", "patiently"], "--pace-wait must be a positive duration"),
        (["run", "--venue", "http://127.0.0.1:1", "--pace-wait", "30s"], "--pace-wait paces the embedded exchange"),
        (["run", "--symbols", "DOGEUSDT"], "unknown symbol DOGEUSDT"),
        (["run", "--allowlist", ","], "allowlist"),
        (["run", "--kill-threshold", "0.5"], "kill threshold"),
        (["run", "--kill-weights", "1,2"], "--kill-weights"),
        (["run", "--ladder", "4:0.5,2:0.25"], "R and fraction must increase"),
        (["run", "--ladder", "two"], "--ladder"),
        (["run", "--exit-deadline", "never"], "--exit-deadline"),
        (["service", "exit-executor", "--venue", "http://127.0.0.1:1"], "unknown service"),
    ])
    func FM42_badSettingsFailFastNamingTheSetting(_ arguments: [String], _ named: String) async throws {
        let result = try await ProductRunner.run("quantum", arguments + ["--state", FileManager.default.temporaryDirectory.appendingPathComponent("qt-\(UUID())").path])
        #expect(result.status != 0)
        #expect(result.stderr.contains(named), "\(result.stderr)")
    }

    @Test func FM39_anotherVenueNeverGetsProductionKeysOrSyntheticData() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("qt-\(UUID())").path
        let synthetic = try await ProductRunner.run("quantum", ["run", "--venue", "http://127.0.0.1:1", "--data", "/tmp", "--state", state])
        #expect(synthetic.status != 0 && synthetic.stderr.contains("embedded exchange"))
        var environment = ProcessInfo.processInfo.environment
        environment["BINANCE_API_KEY"] = "production-key"
        environment["BINANCE_API_SECRET"] = "production-secret"
        environment.removeValue(forKey: "QUANTUM_VENUE_API_KEY")
        environment.removeValue(forKey: "QUANTUM_VENUE_API_SECRET")
        let run = try await ProductRunner.run("quantum", ["run", "--venue", "http://127.0.0.1:1", "--state", state], environment: environment)
        #expect(run.status != 0)
        #expect(run.stderr.contains("no API keys"), "\(run.stderr)")
        #expect(!run.stderr.contains("production-secret") && !run.stdout.contains("production-secret"))
    }

    @Test func FM29_anAccountInHedgeModeIsRefusedAtStart() async throws {
        let exchange = try await ManualExchange.start()
        let host = exchange.host
        defer { Task { await exchange.stop() } }
        let credential = SimulatorSetup.defaultCredential
        let venue = try BinanceFuturesVenue(endpoints: try VenueEndpoints.custom(exchange.baseURL), credentials: VenueFixture.credentials,
                                            logger: VenueFixture.quietLogger)
        try await venue.setPositionMode(.hedge)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-\(UUID())")
        let child = try ChildProcess(["service", "apply-layer", "--state", directory.path, "--venue", exchange.baseURL, "--api-key", credential.apiKey,
                                      "--api-secret", credential.secretKey, "--symbols", "BTCUSDT"],
                                     logPath: FileManager.default.temporaryDirectory.appendingPathComponent("qt-\(UUID()).log").path)
        let end = await child.exit()
        #expect(!end.signaled && end.status != 0)
        #expect(child.output.lowercased().contains("one-way") || child.output.lowercased().contains("hedge"), "\(child.output)")
        let orders = await host.inspect { $0.engine.account(credential.apiKey)?.orders.count ?? 0 }
        #expect(orders == 0)
    }

    /// Found by the killed-trader test: an apply-layer restarted while the exchange answered 503 exited at its clock
    /// check, and the plans sent after it stayed unread. A failure that passes is waited out at start; the process runs.
    @Test func anApplyLayerStartingThroughServerErrorsWaitsThemOutAndRuns() async throws {
        let exchange = try await ManualExchange.start()
        let host = exchange.host
        defer { Task { await exchange.stop() } }
        await host.updateFaults { $0.serverErrors = 4 }
        let credential = SimulatorSetup.defaultCredential
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-\(UUID())")
        let child = try ChildProcess(["service", "apply-layer", "--state", directory.path, "--venue", exchange.baseURL, "--api-key", credential.apiKey,
                                      "--api-secret", credential.secretKey, "--symbols", "BTCUSDT"],
                                     logPath: FileManager.default.temporaryDirectory.appendingPathComponent("qt-\(UUID()).log").path)
        defer { if child.process.isRunning { child.kill(SIGKILL) } }
        // A child process's log has no event to await: look at it until it says the service runs, or the child ends.
        let deadline = ContinuousClock.now + .seconds(90)
        while !child.output.contains("apply-layer running"), child.process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(child.output.contains("apply-layer running"), "\(child.output.suffix(2_000))")
        #expect(child.output.contains("trying again"), "the 503s were met and waited out")
        child.kill(SIGTERM)
        _ = await child.exit()
    }
}
