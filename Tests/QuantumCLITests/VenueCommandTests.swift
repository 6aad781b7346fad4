import Foundation
import QuantumTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `quantum venue check` against a `quantum exchange` child process, both run as a user runs them.
@Suite("quantum venue check", .timeLimit(.minutes(3)))
struct VenueCommandTests {
    @Test("passes with the simulator's keys, fails clearly with wrong ones")
    func checksAVenue() async throws {
        let (exchange, base) = try await ExchangeCommandTests.start(["exchange", "--port", "0", "--speed", "max"])
        defer { if exchange.process.isRunning { kill(exchange.pid, SIGKILL) } }
        let good = try await ProductRunner.run("quantum", [
            "venue", "check", "--venue", base, "--api-key", "quantum-paper-key", "--api-secret", "quantum-paper-secret", "--leverage", "4",
        ])
        #expect(good.status == 0, "\(good.stdout) \(good.stderr)")
        #expect(good.stdout.contains("✅ one-way position mode"))
        #expect(good.stdout.contains("BTCUSDT: leverage 4x"))
        let wrong = try await ProductRunner.run("quantum", ["venue", "check", "--venue", base, "--api-key", "wrong-key-123", "--api-secret", "x"])
        #expect(wrong.status == 2)
        #expect(wrong.stdout.contains("refused the API key"))
        #expect(!wrong.stdout.contains("wrong-key-123") && !wrong.stderr.contains("wrong-key-123"))
        let json = try await ProductRunner.run("quantum", [
            "venue", "check", "--venue", base, "--json", "--symbols", "ETHUSDT", "--api-key", "quantum-paper-key", "--api-secret", "quantum-paper-secret",
        ])
        #expect(json.stdout.hasPrefix(#"{"ok":true,"venue":""#))
        _ = await exchange.stop(SIGTERM)
    }

    @Test("refuses bad venue options before any request")
    func refusesBadOptions() async throws {
        let both = try await ProductRunner.run("quantum", ["venue", "check", "--demo", "--production"])
        #expect(both.status != 0 && both.stderr.contains("choose one of"))
        let scheme = try await ProductRunner.run("quantum", ["venue", "check", "--venue", "127.0.0.1:1", "--api-key", "k", "--api-secret", "s"])
        #expect(scheme.status != 0 && scheme.stderr.contains("no scheme"))
    }
}
