import Foundation
import QuantumBus
import QuantumTestSupport
import Testing

/// `quantum doctor` as a command: its exit code follows the findings; `--preflight` checks a deployment.
@Suite(.timeLimit(.minutes(3))) struct DoctorCommandTests {
    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func anUnprotectedPositionMakesTheDoctorExitTwoInTextAndJSON() async throws {
        let state = try Self.directory()
        defer { try? FileManager.default.removeItem(at: state) }
        let store = SQLiteStateStore(database: try SQLiteDatabase(path: state.appendingPathComponent("quantum.sqlite").path))
        try await store.setFields("quantum:guard:unprotected", ["BTCUSDT": "1750000000000"])
        let text = try await ProductRunner.run("quantum", ["doctor", "--state", state.path])
        #expect(text.status == 2)
        #expect(text.stdout.contains("❌ protective stops"), "\(text.stdout)")
        #expect(text.stdout.contains("verdict: CRITICAL"))
        let json = try await ProductRunner.run("quantum", ["doctor", "--state", state.path, "--json"])
        #expect(json.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "not JSON: \(json.stdout)")
        #expect(report["healthy"] as? Bool == false)
        let findings = try #require(report["findings"] as? [[String: String]])
        #expect(findings.contains { $0["check"] == "protective stops" && $0["severity"] == "critical" && ($0["detail"] ?? "").hasPrefix("UNPROTECTED: BTCUSDT;") })
    }

    @Test func aMissingStateIsAClearErrorNotACrash() async throws {
        let result = try await ProductRunner.run("quantum", ["doctor", "--state", "/nonexistent/quantum-state"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no state at /nonexistent/quantum-state"))
    }

    @Test func preflightPassesForTheEmbeddedDefaultAndNamesEachFailure() async throws {
        let state = try Self.directory()
        defer { try? FileManager.default.removeItem(at: state) }
        let ready = try await ProductRunner.run("quantum", ["doctor", "--preflight", "--state", state.path, "--dashboard-port", "0"])
        #expect(ready.status == 0, "\(ready.stdout)\(ready.stderr)")
        for check in ["configuration", "state directory", "dashboard port", "venue keys", "venue"] {
            #expect(ready.stdout.contains("✅ \(check)"), "\(check): \(ready.stdout)")
        }
        #expect(ready.stdout.contains("ready to start"))

        // A port in use and a venue without keys: each is a ❌ line, and the exit code is 2.
        let busy = try await WebhookReceiver.start()
        defer { Task { await busy.stop() } }
        let blocked = try await ProductRunner.run("quantum", ["doctor", "--preflight", "--state", state.path, "--dashboard-port", String(busy.port),
                                                              "--venue", "http://127.0.0.1:1", "--json"])
        #expect(blocked.status == 2)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(blocked.stdout.utf8)) as? [String: Any], "not JSON: \(blocked.stdout)")
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(checks.first { $0["check"] as? String == "dashboard port" }?["ok"] as? Bool == false)
        #expect(checks.first { $0["check"] as? String == "venue keys" }?["ok"] as? Bool == false)
        #expect(report["ready"] as? Bool == false)
    }
}
