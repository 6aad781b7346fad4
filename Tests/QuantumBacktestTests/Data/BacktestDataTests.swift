import Foundation
import QuantumBacktest
import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3)))
struct BacktestDataTests {
    let btc = BacktestFixtures.btc

    func load(_ files: [String: String], window: BacktestData.Window = .init(), gaps: BacktestData.GapPolicy = .error) throws -> BacktestData.Series {
        let directory = try BacktestFixtures.directory(files)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try BacktestData.load(btc, interval: .oneMinute, from: directory, window: window, gaps: gaps)
    }

    func error(_ files: [String: String], gaps: BacktestData.GapPolicy = .error) -> BacktestDataError? {
        do { _ = try load(files, gaps: gaps); return nil } catch let error as BacktestDataError { return error } catch { return nil }
    }

    @Test func aCleanFileLoadsEveryBarExactly() throws {
        let series = try load(["BTCUSDT_1m_a.csv": BacktestFixtures.csv(count: 10)])
        #expect(series.columns.count == 10)
        #expect(series.columns.closes.last == Price("109")!.units)
        #expect(series.columns.openTimes[1] - series.columns.openTimes[0] == 60_000)
        #expect(series.repairedBars == 0)
    }

    @Test func aGapIsAnErrorNamingTheFileAndTheLineAfterIt() throws {
        let failure = try #require(error(["BTCUSDT_1m_a.csv": BacktestFixtures.csv(count: 10, skipping: [4, 5])]))
        #expect(failure.code == .gap)
        // Header on line 1, bars 0–3 on lines 2–5; bar 6, the first after the gap, on line 6.
        #expect(failure.line == 6)
        #expect(failure.message.contains("BTCUSDT_1m_a.csv:\(failure.line)"))
        #expect(failure.message.contains("2 bar(s)"))
    }

    @Test func theCarryPolicyFillsAGapWithFlatBarsAndCountsThem() throws {
        let series = try load(["BTCUSDT_1m_a.csv": BacktestFixtures.csv(count: 10, skipping: [4, 5])], gaps: .carry)
        #expect(series.columns.count == 10)
        #expect(series.repairedBars == 2)
        // The filled bars are flat at the close before the gap (103).
        #expect(series.columns.highs[4] == Price("103")!.units && series.columns.lows[5] == Price("103")!.units)
    }

    @Test func aMissingColumnANonNumericFieldAndDisorderNameTheirLines() throws {
        var rows = BacktestFixtures.csv(count: 5).split(separator: "\n").map(String.init)
        var missing = rows
        missing[3] = "1735689720000,102,103,101,102"
        let columnError = try #require(error(["BTCUSDT_1m_a.csv": missing.joined(separator: "\n")]))
        #expect(columnError.code == .malformedRow && columnError.line == 4)
        var garbled = rows
        garbled[2] = "1735689660000,101,102,abc,101,1"
        let numberError = try #require(error(["BTCUSDT_1m_a.csv": garbled.joined(separator: "\n")]))
        #expect(numberError.code == .malformedRow && numberError.line == 3 && numberError.message.contains("low"))
        rows.swapAt(2, 3)
        let orderError = try #require(error(["BTCUSDT_1m_a.csv": rows.joined(separator: "\n")]))
        #expect(orderError.code == .malformedRow && orderError.line == 4)
    }

    @Test func aDuplicatedTimestampIsRefused() throws {
        var rows = BacktestFixtures.csv(count: 5).split(separator: "\n").map(String.init)
        rows.insert(rows[3], at: 3)
        let failure = try #require(error(["BTCUSDT_1m_a.csv": rows.joined(separator: "\n")]))
        #expect(failure.code == .malformedRow && failure.line == 5)
    }

    @Test func twoFilesJoinInTimeOrderAndAnOverlapIsRefused() throws {
        let second = BacktestFixtures.start + 5 * 60_000
        let joined = try load(["BTCUSDT_1m_b.csv": BacktestFixtures.csv(count: 5, from: second),
                               "BTCUSDT_1m_a.csv": BacktestFixtures.csv(count: 5)])
        #expect(joined.columns.count == 10 && joined.files.count == 2)
        let overlap = try #require(error(["BTCUSDT_1m_a.csv": BacktestFixtures.csv(count: 5),
                                         "BTCUSDT_1m_b.csv": BacktestFixtures.csv(count: 5, from: second - 60_000)]))
        #expect(overlap.code == .overlap && overlap.line == 2 && overlap.file.hasSuffix("BTCUSDT_1m_b.csv"))
    }

    @Test func aSymbolWithoutAFileIsRefusedByName() {
        let failure = error(["ETHUSDT_1m_a.csv": BacktestFixtures.csv(count: 5)])
        #expect(failure?.code == .missingFile)
        #expect(failure?.message.contains("BTCUSDT_1m_") == true)
    }

    @Test func theWindowKeepsTheFirstDaysAndTheDates() throws {
        let text = BacktestFixtures.csv(count: 3 * 1440)
        let firstDay = try load(["BTCUSDT_1m_a.csv": text], window: .init(firstDays: 1))
        #expect(firstDay.columns.count == 1440)
        let from = EpochMillis(BacktestFixtures.start + 100 * 60_000), to = EpochMillis(BacktestFixtures.start + 200 * 60_000)
        let dated = try load(["BTCUSDT_1m_a.csv": text], window: .init(from: from, to: to))
        #expect(dated.columns.count == 100 && dated.columns.openTimes.first == from.rawValue)
        let empty = BacktestData.Window(from: EpochMillis(BacktestFixtures.start + 10 * 86_400_000))
        #expect(throws: BacktestDataError.self) { try load(["BTCUSDT_1m_a.csv": text], window: empty) }
    }
}
