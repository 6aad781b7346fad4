import Foundation
import QuantumCore
import QuantumSim
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct KlineCSVTests {
    private let btc = Symbol("BTCUSDT")
    private let header = "open_time,open,high,low,close,volume\n"

    @Test func parsesTheRealBTCFileExactly() throws {
        let klines = try #require(FeedFixtures.btcMay)
        #expect(klines.count == 43_199)
        let first = try #require(klines.first)
        #expect(first.symbol == btc && first.interval == .oneMinute)
        #expect(first.openTime == EpochMillis(1_746_372_780_000))
        #expect(first.open == FeedFixtures.price("95505.4") && first.high == FeedFixtures.price("95505.5"))
        #expect(first.low == FeedFixtures.price("95502.7") && first.close == FeedFixtures.price("95502.7"))
        #expect(first.volume == FeedFixtures.quantity("16.536"))
        // The data README's anchors.
        #expect(klines.map(\.low).min() == FeedFixtures.price("93327.0"))
        #expect(klines.map(\.high).max() == FeedFixtures.price("111959.5"))
        #expect(klines.allSatisfy { $0.isConsistent && $0.isClosed })
        #expect(zip(klines, klines.dropFirst()).allSatisfy { $1.openTime.rawValue - $0.openTime.rawValue == 60_000 })
    }

    @Test func readsMarkPriceFilesWithoutVolume() throws {
        let url = try SharedData.file("binance_um_futures/markprice_8h/BTCUSDT_mark_8h_20250306-20250603.csv")
        let klines = try KlineCSV.load(contentsOf: url)
        #expect(klines.count == 266)
        #expect(klines[0].interval == .eightHours)
        #expect(klines[0].open == FeedFixtures.price("90776.94748889"))
        #expect(klines.allSatisfy { $0.volume.isZero })
    }

    @Test func identifiesSymbolAndIntervalFromTheFileName() throws {
        let plain = try #require(KlineCSV.identify(fileName: "ETHUSDT_5m_20250306-20250413.csv"))
        #expect(plain.symbol == Symbol("ETHUSDT") && plain.interval == .fiveMinutes)
        let mark = try #require(KlineCSV.identify(fileName: "BTCUSDT_mark_8h_20250306-20250603.csv"))
        #expect(mark.symbol == btc && mark.interval == .eightHours)
        #expect(KlineCSV.identify(fileName: "notes.csv") == nil)
        #expect(throws: KlineCSVError.self) { try KlineCSV.load(contentsOf: URL(fileURLWithPath: "/nonexistent/x.csv")) }
    }

    @Test func acceptsCRLFAndAMissingFinalNewline() throws {
        let text = "open_time,open,high,low,close,volume\r\n60000,1.5,2,1,1.75,3\r\n120000,1.75,1.75,1.75,1.75,0"
        let klines = try KlineCSV.parse(text, symbol: btc, interval: .oneMinute)
        #expect(klines.count == 2)
        #expect(klines[0].close == FeedFixtures.price("1.75") && klines[1].volume.isZero)
    }

    private func failure(_ body: String, header: String? = nil) -> KlineCSVError? {
        do {
            _ = try KlineCSV.parse((header ?? self.header) + body, symbol: btc, interval: .oneMinute)
            return nil
        } catch { return error }
    }

    @Test(arguments: [
        ("60000,1,2,1,1.5,1\n120000,1,2,1,1.5\n", KlineCSVError.Code.columnCount, 3, nil),
        ("60000,1,2,1,1.5,1\n\n120000,1,2,1,1.5,1\n", .columnCount, 3, nil),
        ("6e4,1,2,1,1.5,1\n", .malformedTime, 2, "open_time"),
        ("-60000,1,2,1,1.5,1\n", .malformedTime, 2, "open_time"),
        ("60001,1,2,1,1.5,1\n", .misalignedTime, 2, "open_time"),
        ("120000,1,2,1,1.5,1\n60000,1,2,1,1.5,1\n", .outOfOrder, 3, "open_time"),
        ("60000,1,2,1,1.5,1\n60000,1,2,1,1.5,1\n", .outOfOrder, 3, "open_time"),
        ("60000,1,2,1,1.5,1\n120000,1,2.x,1,1.5,1\n", .malformedNumber, 3, "high"),
        ("60000,1,2,1,1.5,1e3\n", .malformedNumber, 2, "volume"),
        ("60000,1,2,1,1.123456789,1\n", .malformedNumber, 2, "close"),
        ("60000,1,2,0,1.5,1\n", .malformedNumber, 2, "low"),
        ("60000,1,2,1,1.5,-1\n", .malformedNumber, 2, "volume"),
        ("60000,1,1.4,1,1.5,1\n", .inconsistentBar, 2, "high"),
        ("60000,1,2,1.2,1.5,1\n", .inconsistentBar, 2, "low"),
    ] as [(String, KlineCSVError.Code, Int, String?)])
    func badRowsNameTheirLineAndColumn(body: String, code: KlineCSVError.Code, line: Int, column: String?) throws {
        let error = try #require(failure(body))
        #expect(error.code == code)
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.description.contains("line \(line)"))
    }

    @Test func aBadHeaderOrEmptyFileIsRefused() throws {
        #expect(failure("", header: "")?.code == .badHeader)
        #expect(failure("60000,1,2,1,1.5,1\n", header: "time,open,high,low,close,volume\n")?.code == .badHeader)
        #expect(failure("60000,1,2,1,1.5,1\n", header: "open_time,open,high,low,close,volume,trades\n")?.line == 1)
    }

    @Test func everyCorruptionOfARealRowIsReportedNeverSkipped() throws {
        let url = try SharedData.file(FeedFixtures.ethMayPath)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").prefix(50).map(String.init)
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<200 {
            var corrupted = lines
            let row = Int.random(in: 1..<lines.count, using: &rng)
            var fields = corrupted[row].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let column = Int.random(in: 0..<fields.count, using: &rng)
            fields[column] = ["", "x", "1.2.3", "-5", "0", "NaN", " 1"].randomElement(using: &rng)!
            corrupted[row] = fields.joined(separator: ",")
            let text = corrupted.joined(separator: "\n") + "\n"
            do {
                let klines = try KlineCSV.parse(text, symbol: Symbol("ETHUSDT"), interval: .oneMinute)
                // Only a corruption that still makes a valid bar may pass, and then no row is lost.
                #expect(klines.count == lines.count - 1)
            } catch {
                #expect(error.line == row + 1)
            }
        }
    }
}
