import Foundation
import QuantumTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `quantum exchange` as a user runs it: a child process on a port of its own, stopped by its process id.
@Suite("quantum exchange")
struct ExchangeCommandTests {
    /// Reads the child's stdout until the REST line appears; returns the base URL.
    static func restURL(from pipe: Pipe) throws -> String {
        var text = ""
        let handle = pipe.fileHandleForReading
        while !text.contains("API secret") {
            let chunk = handle.availableData
            guard !chunk.isEmpty else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("REST") })
        return String(try #require(line.split(separator: " ").last))
    }

    /// A GET over a raw socket-free path: `curl` is on every machine this runs on.
    static func get(_ url: String) throws -> String {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "--max-time", "10", url]
        let out = Pipe()
        curl.standardOutput = out
        try curl.run()
        curl.waitUntilExit()
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    /// Starts `quantum` with `arguments`; returns the process and the REST base URL it printed.
    static func start(_ arguments: [String]) throws -> (Process, String) {
        let process = Process()
        process.executableURL = try ProductRunner.path(of: "quantum")
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        do {
            return (process, try restURL(from: out))
        } catch {
            kill(process.processIdentifier, SIGKILL)
            throw error
        }
    }

    @Test("prints URLs and credentials, serves Binance REST, stops on SIGTERM")
    func runsAndServes() throws {
        let (process, base) = try Self.start(["exchange", "--port", "0", "--seed", "3", "--speed", "max", "--balance", "2500",
                                              "--api-key", "test-key", "--api-secret", "test-secret"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        #expect(base.hasPrefix("http://127.0.0.1:"))
        #expect(try Self.get(base + "/fapi/v1/ping") == "{}")
        #expect(try Self.get(base + "/fapi/v1/ticker/price?symbol=BTCUSDT").contains("\"symbol\":\"BTCUSDT\""))
        #expect(try Self.get(base + "/fapi/v2/balance").contains("-2014"))
        #expect(try Self.get(base + "/admin/status").contains("\"speed\":\"max\""))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(!process.isRunning)
    }

    @Test("replays real files with --data", .enabled(if: FileManager.default.fileExists(atPath: SharedData.directory.path)))
    func replay() throws {
        let (process, base) = try Self.start(["exchange", "--port", "0", "--data",
                                              SharedData.directory.appendingPathComponent("binance_um_futures").path,
                                              "--symbols", "BTCUSDT,ETHUSDT", "--speed", "60"])
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let price = try Self.get(base + "/fapi/v1/ticker/price?symbol=ETHUSDT")
        #expect(price.contains("\"symbol\":\"ETHUSDT\""), "\(price)")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    @Test("bad options are clear errors, not crashes", arguments: [
        ["exchange", "--speed", "fast"], ["exchange", "--port", "70000"], ["exchange", "--api-key", "k"],
        ["exchange", "--balance", "-5"], ["exchange", "--symbols", "DOGEUSDT", "--manual-market", "--port", "0"],
    ])
    func badOptions(arguments: [String]) throws {
        let result = try ProductRunner.run("quantum", arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains("Error") || result.stderr.contains("error"), "\(result.stderr)")
    }
}
