import Foundation
import QuantumTestSupport
import Testing

/// `quantum run --data DIR` trades the symbols it finds there unless told otherwise, and refuses a named symbol
/// without data.
@Suite(.timeLimit(.minutes(3))) struct RunDataSymbolsTests {
    static var klines: URL { SharedData.directory.appendingPathComponent("binance_um_futures/klines_1m") }
    static var hasKlines: Bool { FileManager.default.fileExists(atPath: klines.appendingPathComponent("SOLUSDT_1m_20250504-20250603.csv").path) }

    /// A data directory with three of the real series and a symbol the paper exchange does not list.
    static func directory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["BTCUSDT_1m_20250504-20250603.csv", "SOLUSDT_1m_20250504-20250603.csv", "XRPUSDT_1m_20250504-20250603.csv"] {
            try FileManager.default.createSymbolicLink(at: directory.appendingPathComponent(name), withDestinationURL: klines.appendingPathComponent(name))
        }
        try Data("open_time,open,high,low,close,volume\n1746372780000,0.2,0.2,0.2,0.2,1\n".utf8)
            .write(to: directory.appendingPathComponent("DOGEUSDT_1m_20250504-20250505.csv"))
        // A mark-price file names an interval too, but is no kline file of a symbol to trade.
        try Data("open_time,open,high,low,close\n1746372780000,2000,2000,2000,2000\n".utf8)
            .write(to: directory.appendingPathComponent("ETHUSDT_mark_1m_20250504-20250505.csv"))
        return directory
    }

    @Test(.enabled(if: hasKlines, "needs ../shared/data"))
    func withoutSymbolsAReplayTradesEverySymbolItHasDataOf() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await ProductRunner.run("quantum", [
            "run", "--data", directory.path, "--speed", "max", "--duration", "10m", "--state", directory.appendingPathComponent("state").path,
            "--dashboard-port", "0", "--progress-every", "0",
        ])
        #expect(run.status == 0, "\(run.stderr.suffix(2000))")
        #expect(run.stdout.contains("symbols BTCUSDT,SOLUSDT,XRPUSDT"), "\(run.stdout.prefix(600))")
        #expect(run.stderr.contains("DOGEUSDT") && run.stderr.contains("not traded"), "\(run.stderr.suffix(1000))")
        #expect(!run.stderr.contains("ETHUSDT_mark"), "\(run.stderr.suffix(1000))")
    }

    @Test func allSymbolsIsTheSyntheticListingNotAReplays() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("run-all-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await ProductRunner.run("quantum", [
            "run", "--data", directory.path, "--symbols", "all", "--duration", "10m", "--state", directory.appendingPathComponent("state").path,
            "--dashboard-port", "0", "--progress-every", "0",
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--symbols all") && run.stderr.contains("leave --symbols out"), "\(run.stderr.suffix(1000))")
    }

    @Test(.enabled(if: hasKlines, "needs ../shared/data"))
    func aNamedSymbolWithoutDataIsRefusedByName() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await ProductRunner.run("quantum", [
            "run", "--data", directory.path, "--symbols", "BTCUSDT,ETHUSDT", "--duration", "10m",
            "--state", directory.appendingPathComponent("state").path, "--dashboard-port", "0", "--progress-every", "0",
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("ETHUSDT_1m_") && run.stderr.contains(directory.path), "\(run.stderr.suffix(1000))")
    }
}
