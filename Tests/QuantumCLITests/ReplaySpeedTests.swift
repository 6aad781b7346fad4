import Foundation
import QuantumBus
import QuantumCore
import QuantumTestSupport
import Testing

/// A paced replay makes the same trades at any speed: the market first moves once the system's streams are connected
/// and it has handled the history it starts from, it waits at every bar close for every service that acts on it
/// (market-state, signal-bot, exit-brain, harvest and the plans they cause), and the exit services judge positions at
/// bar closes, not on a timer between them. `max` is the stepped clock: the market moves the moment the system caught up.
///
/// From the first position on: signal-bot's first bar waits for the health monitor's verdict on the exit path, which the
/// monitor renews the moment a missing service beats, so the first open no longer meets the start-up halt by chance.
///
/// Every plan's result is compared, skipped ones too. When a position's stop fires inside a bar, the market waits until
/// the executor has recorded the fill before the bar's close goes out; before it did, whether exit-brain's judgement at
/// that close still found the position (and proposed a close the executor then skipped, `no_position`) depended on
/// which came first, and the plans differed between speeds though the fills did not.
@Suite(.timeLimit(.minutes(3))) struct ReplaySpeedTests {
    @Test(.enabled(if: BacktestCommandTests.hasKlines, "needs ../shared/data"))
    func aReplayTradesAlikeAtTwoSpeeds() async throws {
        let directory = try BacktestCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("fast.toml")
        // A fixed notional: sizing by risk would read the equity, which moves with the unrealized PnL between account
        // reads, and those are timed on the clock.
        try Data("""
            [run]
            leverage = 3
            notional = "500"
            [strategy]
            fast = 3
            slow = 8
            atr = 5
            [symbols.ETHUSDT]
            step = "0.001"
            tick = "0.01"
            """.utf8).write(to: config)
        var trades: [[String]] = []
        for speed in ["240", "max"] {
            let (_, log) = try await RunConfigurationFileTests.replay(config, speed: speed, duration: "1h",
                                                                     state: directory.appendingPathComponent("state-\(speed)"))
            // Every result, in order: plan (its epoch and kind), decision, quantity and average price.
            let results = try await log.range(StreamName.result, from: .zero, to: .max, count: 10_000).map(\.fields)
            trades.append(results.map { (fields: [String: String]) -> String in
                ["plan_id", "decision", "filled_qty", "avg_price"].map { fields[$0] ?? "?" }.joined(separator: " ")
            })
        }
        let (slower, fastest) = (trades[0], trades[1])
        #expect(min(slower.count, fastest.count) >= 8, "too few fills to compare: \(slower.count), \(fastest.count)")
        // The one-hour cut-off is market time from each run's own start, so the last plan may fall on either side of it.
        let common = min(slower.count, fastest.count)
        #expect(abs(slower.count - fastest.count) <= 1, "240×: \(slower)\nmax: \(fastest)")
        #expect(Array(slower.prefix(common)) == Array(fastest.prefix(common)), "240×: \(slower)\nmax: \(fastest)")
    }
}
