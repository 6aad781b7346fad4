import Foundation
import QuantumServices
import QuantumTestSupport
import Testing

/// The systemd units in `deploy/`: valid for systemd, one per service the CLI knows, ordered so the executor stops last.
@Suite(.timeLimit(.minutes(3))) struct DeploymentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let units = root.appendingPathComponent("deploy/systemd")
    static let analyzer = "/usr/bin/systemd-analyze"

    @Test func thereIsOneUnitPerServiceRunningThatService() throws {
        for part in TradingSystem.Part.allCases {
            let unit = try String(contentsOf: Self.units.appendingPathComponent("quantum-\(part.rawValue).service"), encoding: .utf8)
            #expect(unit.contains("ExecStart=/usr/local/bin/quantum service \(part.rawValue) $QUANTUM_BUS "), "\(part.rawValue)")
            // The bus is the state directory unless the environment file names Redis (its settings override Environment=).
            #expect(unit.contains("Environment=\"QUANTUM_BUS=--state /var/lib/quantum\"\nEnvironmentFile=/etc/quantum/quantum.env"))
            for setting in ["Type=notify", "WatchdogSec=", "Restart=always", "PartOf=quantum.target"] {
                #expect(unit.contains(setting), "\(part.rawValue): \(setting)")
            }
        }
        // systemd stops in reverse start order: the executor starts first (after nothing of ours) so it stops last.
        let executor = try String(contentsOf: Self.units.appendingPathComponent("quantum-apply-layer.service"), encoding: .utf8)
        #expect(!executor.contains("After=quantum-"))
        let signals = try String(contentsOf: Self.units.appendingPathComponent("quantum-signal-bot.service"), encoding: .utf8)
        #expect(signals.contains("quantum-market-state.service") && signals.contains("quantum-intent-bridge.service"))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: analyzer), "systemd-analyze is not installed"))
    func systemdAnalyzeVerifiesEveryUnit() async throws {
        let quantum = try ProductRunner.path(of: "quantum").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.units.path) where name.hasSuffix(".service") || name.hasSuffix(".target") {
            // The built binary stands in for the installed one (verify checks that ExecStart exists).
            let text = try String(contentsOf: Self.units.appendingPathComponent(name), encoding: .utf8).replacingOccurrences(of: "/usr/local/bin/quantum", with: quantum)
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            files.append(directory.appendingPathComponent(name).path)
        }
        #expect(files.count == TradingSystem.Part.allCases.count + 2)
        let result = try await ProductRunner.run(executable: URL(fileURLWithPath: Self.analyzer), ["verify"] + files.sorted())
        let output = result.stdout + result.stderr
        #expect(result.status == 0, "systemd-analyze verify: \(output)")
        #expect(!output.contains("quantum-"), "systemd-analyze complained: \(output)")
    }
}
