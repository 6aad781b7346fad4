import Foundation
import QuantumBacktest
import QuantumBus
import QuantumCore
import Testing

/// A live replay (`quantum run --config --data`, every service, the paper exchange) and a backtest of the same file and
/// bars make the same trades: each entry and exit at the same price, in the same quantity, for the same reason.
@Suite(.timeLimit(.minutes(3))) struct LiveBacktestParityTests {
    /// One round trip: its entry and, once closed, its exit.
    struct RoundTrip: Equatable, CustomStringConvertible {
        var direction: Direction
        var quantity: Quantity
        var entry: Price
        var exit: Price?
        /// `stop` or `target`; nil while open.
        var reason: String?

        var description: String {
            "\(direction.rawValue) \(quantity) @ \(entry) → \(exit.map(\.description) ?? "open")\(reason.map { " (\($0))" } ?? "")"
        }
    }

    @Test(.enabled(if: BacktestCommandTests.hasKlines, "needs ../shared/data"))
    func aLiveReplayAndABacktestOfTheSameFileMakeTheSameTrades() async throws {
        let directory = try BacktestCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("parity.toml")
        // Short periods, so twelve hours of bars hold dozens of trades; the strategy's own exits on both sides (the stop,
        // the target, the opposite cross), and a backtest that fills as the paper exchange does.
        try Data("""
            [run]
            leverage = 10
            notional = "1000"
            fills = "venue"
            [strategy]
            kind = "ema_cross"
            fast = 3
            slow = 8
            atr = 5
            [exits]
            rules = "strategy"
            [symbols.ETHUSDT]
            step = "0.001"
            tick = "0.01"
            """.utf8).write(to: config)
        let (run, log) = try await RunConfigurationFileTests.replay(config, speed: "max", duration: "12h",
                                                                     state: directory.appendingPathComponent("state"))
        let live = try await Self.liveRoundTrips(log)
        let backtest = try await Self.backtestRoundTrips(config: config, log: log)
        let context = "live \(live), backtest \(backtest); run: \(run.stderr.suffix(1500))"
        #expect(live.count >= 5, "\(context)")
        #expect(["stop", "target", "cross"].allSatisfy { reason in live.contains { $0.reason == reason } }, "\(context)")
        #expect(live == backtest, "\(context)")
    }

    /// The live run's round trips in order, from its fills: opens and exit plans on `apply.result` (an exit's reason
    /// from its plan), stop fills (which the exchange made) on `reconcile.event`.
    static func liveRoundTrips(_ log: SQLiteEventLog) async throws -> [RoundTrip] {
        enum Fill { case open(Direction, Quantity, Price), close(Price, String) }
        var fills: [(time: Int64, fill: Fill)] = []
        var reasons: [String: String] = [:]
        for fields in try await log.range(StreamName.plan, from: .zero, to: .max, count: 100_000).map(\.fields) {
            if let plan = fields["plan_id"], let reason = fields["reason"] { reasons[plan] = reason }
        }
        for fields in try await log.range(StreamName.result, from: .zero, to: .max, count: 100_000).map(\.fields)
        where fields["decision"] == "EXECUTED" {
            let time = try #require(fields["ts"].flatMap { Int64($0) })
            let price = try #require(fields["avg_price"].flatMap(Price.init))
            switch fields["action"] {
            case "OPEN_LONG", "OPEN_SHORT":
                let quantity = try #require(fields["filled_qty"].flatMap(Quantity.init))
                fills.append((time, .open(fields["action"] == "OPEN_LONG" ? .long : .short, quantity, price)))
            case "FULL_CLOSE_PROPOSED":
                let reason = fields["plan_id"].flatMap { reasons[$0] }
                let named = [ExitReason.takeProfit.rawValue: "target", ExitReason.signalReversal.rawValue: "cross"]
                fills.append((time, .close(price, reason.flatMap { named[$0] } ?? "unexpected \(reason ?? "no reason")")))
            default:
                Issue.record("an exit the strategy does not make: \(fields)")
            }
        }
        for fields in try await log.range(StreamName.reconcile, from: .zero, to: .max, count: 100_000).map(\.fields)
        where fields["kind"] == "external_close" {
            #expect(fields["cause"] == "protective_stop", "\(fields)")
            let time = try #require(fields["ts"].flatMap { Int64($0) })
            fills.append((time, .close(try #require(fields["fill_price"].flatMap(Price.init)), "stop")))
        }
        var trips: [RoundTrip] = []
        for (_, fill) in fills.sorted(by: { $0.time < $1.time }) {
            switch fill {
            case .open(let direction, let quantity, let price):
                #expect(trips.last.map { $0.exit != nil } ?? true, "an open while a position was held: \(trips)")
                trips.append(RoundTrip(direction: direction, quantity: quantity, entry: price))
            case .close(let price, let reason):
                guard let last = trips.indices.last, trips[last].exit == nil else {
                    Issue.record("a close without a position: \(trips)")
                    continue
                }
                trips[last].exit = price
                trips[last].reason = reason
            }
        }
        return trips
    }

    /// The backtest's round trips over the bars the live run traded: from the bar of its first signal (before it, the
    /// strategy may not signal, so both start flat) to its last bar, where a position still open stays open.
    ///
    /// The replay is shifted in time; the shift is read off the first bar market-state published, found in the data.
    static func backtestRoundTrips(config: URL, log: SQLiteEventLog) async throws -> [RoundTrip] {
        let bars = try await log.range(StreamName.marketState, from: .zero, to: .max, count: 100_000).map(\.fields)
        let intents = try await log.range(StreamName.tradeIntent, from: .zero, to: .max, count: 100_000).map(\.fields)
        let firstBar = try #require(bars.first), lastBar = try #require(bars.last)
        let intentBars = intents.compactMap { $0["intent_id"]?.split(separator: ":").last.flatMap { Int64($0) } }
        let firstIntent = try #require(intentBars.min())
        var configuration = try BacktestConfiguration.load(path: config.path).configuration
        configuration.window.firstDays = 1
        let series = try #require(try Backtest.load(configuration, from: URL(fileURLWithPath: BacktestCommandTests.klines)).values.first)
        let columns = series.columns
        let ohlc = ["open", "high", "low", "close"].map { firstBar[$0].flatMap(Price.init)?.units }
        let index = try #require(columns.openTimes.indices.first { i in
            [columns.opens[i], columns.highs[i], columns.lows[i], columns.closes[i]].map(Optional.some) == ohlc
        })
        let shift = try #require(firstBar["open_time"].flatMap { Int64($0) }) - columns.openTimes[index]
        let start = columns.openTimes[0]
        configuration.strategy.warmUp = Int((firstIntent - 59_999 - shift - start) / 60_000)
        configuration.window.to = EpochMillis(try #require(lastBar["open_time"].flatMap { Int64($0) }) - shift + 60_000)
        let result = try Backtest.run(configuration, series: try Backtest.load(configuration, from: URL(fileURLWithPath: BacktestCommandTests.klines)).mapValues(\.columns))
        return try #require(result.symbols.first).trades.map { trade in
            let open = trade.exitReason == .endOfData
            return RoundTrip(direction: trade.direction, quantity: trade.quantity, entry: trade.entryPrice,
                             exit: open ? nil : trade.exitPrice, reason: open ? nil : trade.exitReason.rawValue)
        }
    }
}
