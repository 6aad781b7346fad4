import QuantumCore
@testable import QuantumServices
import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct MarketTrackerTests {
    static let btc = Symbol(rawValue: "BTCUSDT")!

    /// A closed one-minute bar, as the klines endpoint would send its row.
    static func bar(_ minute: Int64) throws -> KlineUpdate {
        let open = 1_735_689_600_000 + minute * 60_000
        let row: JSONValue = [.integer(open), "100", "100", "100", "100", "0", .integer(open + 59_999), "0", .integer(0), "0", "0", "0"]
        return try KlineUpdate(binanceRow: row, symbol: btc, interval: .oneMinute, now: EpochMillis(open + 60_000))
    }

    @Test func aBarAfterASkippedOneCountsTheBarsMissingBeforeIt() async throws {
        let tracker = MarketTracker(symbols: [Self.btc], configuration: MarketStateService.Configuration())
        #expect(await tracker.missingBars(before: try Self.bar(0), interval: .oneMinute) == 0)  // nothing applied yet
        _ = await tracker.close(try Self.bar(0))
        #expect(await tracker.missingBars(before: try Self.bar(1), interval: .oneMinute) == 0)
        _ = await tracker.close(try Self.bar(1))
        // The stream skipped minutes 2–4: three bars to fetch before minute 5 is applied.
        #expect(await tracker.missingBars(before: try Self.bar(5), interval: .oneMinute) == 3)
        // A repeat or an older bar is no gap.
        #expect(await tracker.missingBars(before: try Self.bar(1), interval: .oneMinute) == 0)
        for minute in 2...5 { #expect(await tracker.close(try Self.bar(Int64(minute))) != nil) }
        #expect(await tracker.close(try Self.bar(3)) == nil)
    }

    /// The mark price that comes right behind a bar's close (the next bar's first tick) is not written: the close is,
    /// in its lane, and which of the two landed last used to depend on scheduling (a live replay then sized an open at
    /// the next bar's price in one run and at the close in another). A mark an interval later is written again.
    @Test func aMarkPriceRightBehindABarCloseWaitsItsInterval() async throws {
        let tracker = MarketTracker(symbols: [Self.btc], configuration: MarketStateService.Configuration())
        let close = EpochMillis(1_735_689_660_000)
        #expect(await tracker.shouldWritePrice(Self.btc, at: close.advanced(by: .seconds(-30))))
        await tracker.notePriceWrite(Self.btc, at: close)
        #expect(await tracker.shouldWritePrice(Self.btc, at: close) == false)
        #expect(await tracker.shouldWritePrice(Self.btc, at: close.advanced(by: .milliseconds(9_999))) == false)
        #expect(await tracker.shouldWritePrice(Self.btc, at: close.advanced(by: .seconds(10))))
    }
}
