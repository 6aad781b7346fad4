import Foundation
import QuantumTestSupport
import Testing

extension EmbeddedRuns {
    /// A full day of real Binance 1-minute klines through the whole embedded system (`quantum run --data`): every
    /// service, the real adapter, the simulator on loopback. The exchange's own audit shows no position was ever
    /// without a protective stop for longer than the protection monitor's period, and the summary adds up.
    @Test func aDayOfRealDataNeverLeavesAPositionUnprotectedLongerThanTheMonitorPeriod() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("qt-day-\(UUID())")
        let summaryFile = state.appendingPathExtension("json")
        defer {
            try? FileManager.default.removeItem(at: state)
            try? FileManager.default.removeItem(at: summaryFile)
        }
        let speed = 1_440.0  // a market day in about a minute
        let run = try await ProductRunner.run("quantum", [
            "run", "--state", state.path, "--data", try SharedData.file("binance_um_futures/klines_1m").path,
            "--symbols", "BTCUSDT,ETHUSDT", "--speed", String(speed), "--duration", "24h", "--max-consecutive-losses", "1000", "--dashboard-port", "0",
            "--progress-every", "0", "--summary-json", summaryFile.path,
        ])
        #expect(run.status == 0, "\(run.stderr.suffix(2_000))")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summaryFile)) as? [String: Any])

        // The day traded: positions were opened, protected, scaled and closed.
        let closed = try #require(summary["positions_closed"] as? Int)
        #expect(closed >= 10, "only \(closed) positions closed in a day; summary \(run.stdout.suffix(1_500)); log \(run.stderr.suffix(3_000))")
        let fills = try #require(summary["fills"] as? Int)
        #expect(try #require(summary["orders_sent"] as? Int) >= fills)

        // Invariant 5 by the exchange's clock: the monitor's period at this speed is 1 s stretched by speed / 10.
        let monitorPeriod = 1.0 * speed / 10
        let longest = try #require(summary["exchange_longest_unprotected_seconds"] as? Double)
        #expect(longest <= monitorPeriod, "a position went \(longest) s without a stop (monitor period \(monitorPeriod) s)")
        // Invariant 10 for exits, and every exit plan answered.
        #expect(summary["exit_deadline_misses"] as? Int == 0)
        let byReason = try #require(summary["exits_by_reason"] as? [String: Int])
        #expect(byReason.values.reduce(0, +) == summary["exits_executed"] as? Int)
        #expect(summary["dead_letters"] as? Int == 0)

        // `quantum results` on the same state shows the same harvest figures.
        let results = try await ProductRunner.run("quantum", ["results", "--state", state.path, "--last", "5", "--json"])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(results.stdout.utf8)) as? [String: Any])
        let harvest = try #require(parsed["harvest"] as? [String: Any])
        #expect(harvest["exits_executed"] as? Int == summary["exits_executed"] as? Int)
        #expect(harvest["positions_closed"] as? Int == closed)
    }
}
