import Foundation
import QuantumTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `quantum exchange` as a user runs it: a child process on a port of its own, stopped by its process id.
@Suite("quantum exchange", .timeLimit(.minutes(3)))
struct ExchangeCommandTests {
    /// A GET with `curl` (on every machine this runs on), waited for off the test pool.
    static func get(_ url: String) async throws -> String {
        try await ProductRunner.run(executable: URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "--max-time", "10", url]).stdout
    }

    /// Starts `quantum` with `arguments`; returns the process and the REST base URL it printed.
    static func start(_ arguments: [String]) async throws -> (LineProcess, String) {
        let stderr = FileManager.default.temporaryDirectory.appendingPathComponent("quantum-exchange-\(UUID().uuidString).log").path
        let process = try LineProcess("quantum", arguments, stderrPath: stderr)
        guard let line = await process.line(where: { $0.hasPrefix("REST") }), let base = line.split(separator: " ").last else {
            _ = await process.stop(SIGKILL)
            throw ExchangeStartFailure(stderr: process.stderr)
        }
        return (process, String(base))
    }

    @Test("--symbols all lists the 300 symbols of the synthetic universe, and quotes them")
    func listsTheWholeUniverse() async throws {
        let (process, base) = try await Self.start(["exchange", "--port", "0", "--symbols", "all"])
        defer { if process.process.isRunning { kill(process.pid, SIGKILL) } }
        let info = try await Self.get(base + "/fapi/v1/exchangeInfo")
        #expect(info.components(separatedBy: "\"contractType\"").count - 1 == 300, "\(info.prefix(300))")
        #expect(info.contains("\"symbol\":\"ALT295USDT\"") && info.contains("\"symbol\":\"BTCUSDT\""))
        #expect(try await Self.get(base + "/fapi/v1/ticker/price?symbol=ALT117USDT").contains("\"symbol\":\"ALT117USDT\""))
        _ = await process.stop(SIGTERM)
    }

    @Test("prints URLs and credentials, serves Binance REST, stops on SIGTERM")
    func runsAndServes() async throws {
        let (process, base) = try await Self.start(["exchange", "--port", "0", "--seed", "3", "--speed", "max", "--balance", "2500",
                                                    "--api-key", "test-key", "--api-secret", "test-secret"])
        defer { if process.process.isRunning { kill(process.pid, SIGKILL) } }
        #expect(base.hasPrefix("http://127.0.0.1:"))
        #expect(try await Self.get(base + "/fapi/v1/ping") == "{}")
        #expect(try await Self.get(base + "/fapi/v1/ticker/price?symbol=BTCUSDT").contains("\"symbol\":\"BTCUSDT\""))
        #expect(try await Self.get(base + "/fapi/v2/balance").contains("-2014"))
        #expect(try await Self.get(base + "/admin/status").contains("\"speed\":\"max\""))
        #expect(process.output.contains { $0.contains("API secret") })
        _ = await process.stop(SIGTERM)
        #expect(!process.process.isRunning)
    }

    @Test("replays real files with --data", .enabled(if: FileManager.default.fileExists(atPath: SharedData.directory.path)))
    func replay() async throws {
        let (process, base) = try await Self.start(["exchange", "--port", "0", "--data",
                                                    SharedData.directory.appendingPathComponent("binance_um_futures").path,
                                                    "--symbols", "BTCUSDT,ETHUSDT", "--speed", "60"])
        defer { if process.process.isRunning { kill(process.pid, SIGKILL) } }
        let price = try await Self.get(base + "/fapi/v1/ticker/price?symbol=ETHUSDT")
        #expect(price.contains("\"symbol\":\"ETHUSDT\""), "\(price)")
        _ = await process.stop(SIGTERM)
    }

    @Test("bad options are clear errors, not crashes", arguments: [
        ["exchange", "--speed", "fast"], ["exchange", "--port", "70000"], ["exchange", "--api-key", "k"],
        ["exchange", "--balance", "-5"], ["exchange", "--symbols", "DOGEUSDT", "--manual-market", "--port", "0"],
    ])
    func badOptions(arguments: [String]) async throws {
        let result = try await ProductRunner.run("quantum", arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains("Error") || result.stderr.contains("error"), "\(result.stderr)")
    }
}

/// `quantum exchange` ended before it printed its REST URL.
struct ExchangeStartFailure: Error, CustomStringConvertible {
    var stderr: String
    var description: String { "quantum exchange did not print its REST URL: \(stderr.suffix(2_000))" }
}
