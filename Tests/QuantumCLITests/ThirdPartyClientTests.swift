import Foundation
import QuantumTestSupport
import Testing

/// ccxt's binanceusdm, python-binance and binance-futures-connector each run a trading session against
/// `quantum exchange`: markets, ticker and 24-hour ticker, balance, leverage, a market order, an algo stop, positions,
/// a reduce-only close, trades and the user stream (scripts/clients). `scripts/test` installs the clients from PyPI
/// into `.build/clients-venv`; without it (no PyPI) the test is skipped and `scripts/test` says so.
@Suite(.timeLimit(.minutes(3))) struct ThirdPartyClientTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    static var python: URL { root.appendingPathComponent(".build/clients-venv/bin/python") }
    /// Installed completely: scripts/test copies the requirements into the environment only after pip succeeded.
    static var installed: Bool {
        FileManager.default.isExecutableFile(atPath: python.path)
            && FileManager.default.fileExists(atPath: root.appendingPathComponent(".build/clients-venv/requirements.txt").path)
    }

    @Test(.enabled(if: installed, "the clients are not installed (scripts/test installs them from PyPI)"),
          arguments: ["ccxt_session", "python_binance_session", "connector_session"])
    func aClientTradesASessionWithoutAFailure(_ script: String) async throws {
        let (process, base) = try await ExchangeCommandTests.start(["exchange", "--port", "0"])
        defer { Task { _ = await process.stop() } }
        let path = Self.root.appendingPathComponent("scripts/clients/\(script).py").path
        let run = try await ProductRunner.run(executable: Self.python, [path, base, "quantum-paper-key", "quantum-paper-secret"])
        #expect(run.status == 0, "\(script): \(run.stdout)\n\(run.stderr.suffix(3000))")
        #expect(run.stdout.contains("reduce-only close"), "\(run.stdout)")
        _ = await process.stop()
    }
}
