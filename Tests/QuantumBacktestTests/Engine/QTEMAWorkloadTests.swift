import Foundation
import QuantumBacktest
import QuantumCore
import QuantumSim
import Testing

/// The reference workload (`shared/reference/qt-ema.md`) on the five real 30-day series.
@Suite(.timeLimit(.minutes(3)), .enabled(if: BacktestFixtures.hasKlines, "needs ../shared/data"))
struct QTEMAWorkloadTests {
    /// Round trips and exits per symbol of QT-EMA; an independent floating-point reading of the workload gives the same.
    static let expected: [String: (trades: Int, stop: Int, target: Int, cross: Int)] = [
        "BTCUSDT": (831, 501, 304, 26), "ETHUSDT": (843, 528, 275, 40), "SOLUSDT": (801, 496, 277, 28),
        "BNBUSDT": (861, 557, 276, 28), "XRPUSDT": (853, 528, 285, 40),
    ]

    static func configuration() throws -> BacktestConfiguration {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../examples/qt-ema.toml").standardized
        return try BacktestConfiguration.load(path: url.path).configuration
    }

    @Test func theShippedExampleIsTheWorkload() throws {
        let configuration = try Self.configuration()
        #expect(configuration.markets == BacktestFixtures.qtEMAMarkets)
        #expect(configuration.strategy.fast == 20 && configuration.strategy.slow == 50 && configuration.strategy.atrPeriod == 14)
        #expect(configuration.strategy.stopATR == 1.5 && configuration.strategy.targetATR == 3 && configuration.strategy.firstSignalIndex == 50)
        #expect(configuration.feeRate == Ratio("0.0005")! && configuration.leverage.rawValue == 10)
        #expect(configuration.notionalPerTrade == Notional("1000")! && configuration.window.firstDays == 30)
    }

    @Test func tradesPerSymbolAreTheWorkloadsAndAgreeWithAnIndependentReading() throws {
        let configuration = try Self.configuration()
        let series = try Backtest.load(configuration, from: BacktestFixtures.klineDirectory)
        #expect(series.values.reduce(0) { $0 + $1.columns.count } == 215_997)
        let result = try Backtest.run(configuration, series: series.mapValues(\.columns))
        for symbol in result.symbols {
            let expected = try #require(Self.expected[symbol.symbol.rawValue])
            let exits = Dictionary(grouping: symbol.trades, by: \.exitReason).mapValues(\.count)
            #expect(symbol.trades.count == expected.trades, "\(symbol.symbol)")
            #expect(exits[.stop, default: 0] == expected.stop && exits[.target, default: 0] == expected.target
                    && exits[.cross, default: 0] == expected.cross, "\(symbol.symbol): \(exits)")
            let reference = Self.reference(try #require(series[symbol.symbol]).columns)
            #expect(reference.count == symbol.trades.count, "\(symbol.symbol)")
            #expect(zip(reference, symbol.trades).allSatisfy { $0.entry == $1.entryTime.rawValue && $0.exit == $1.exitTime.rawValue && $0.reason == $1.exitReason })
        }
        #expect(result.trades.count == 4_189)
        // Same bars, same trades: a second run is identical.
        let again = try Backtest.run(configuration, series: series.mapValues(\.columns))
        #expect(again.trades == result.trades)
    }

    /// QT-EMA written out plainly in `Double`, without the kernel, the ledger or exact levels.
    static func reference(_ columns: BarColumns) -> [(entry: Int64, exit: Int64, reason: BacktestExit)] {
        let h = columns.highs.map { Double($0) / 1e8 }, l = columns.lows.map { Double($0) / 1e8 }, c = columns.closes.map { Double($0) / 1e8 }
        var fast = c[0], slow = c[0], atr = h[0] - l[0], previousDiff = 0.0
        var open: (long: Bool, index: Int, stop: Double, target: Double)?
        var trades: [(entry: Int64, exit: Int64, reason: BacktestExit)] = []
        func close(_ i: Int, _ reason: BacktestExit) {
            trades.append((columns.openTimes[open!.index], columns.openTimes[i], reason))
            open = nil
        }
        for i in c.indices {
            if let o = open, o.index < i {
                if o.long ? l[i] <= o.stop : h[i] >= o.stop { close(i, .stop) }
                else if o.long ? h[i] >= o.target : l[i] <= o.target { close(i, .target) }
            }
            if i > 0 {
                atr += (max(h[i] - l[i], abs(h[i] - c[i - 1]), abs(l[i] - c[i - 1])) - atr) / 14
                fast += 2.0 / 21 * (c[i] - fast)
                slow += 2.0 / 51 * (c[i] - slow)
            }
            let diff = fast - slow
            defer { previousDiff = diff }
            guard i >= 50 else { continue }
            let up = previousDiff <= 0 && diff > 0, down = previousDiff >= 0 && diff < 0
            guard up || down else { continue }
            if let o = open {
                if o.long != up { close(i, .cross) }
            } else {
                open = (up, i, up ? c[i] - 1.5 * atr : c[i] + 1.5 * atr, up ? c[i] + 3 * atr : c[i] - 3 * atr)
            }
        }
        if open != nil { close(c.count - 1, .endOfData) }
        return trades
    }
}
