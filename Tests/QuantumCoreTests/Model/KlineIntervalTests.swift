import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct KlineIntervalTests {
    @Test func rawValuesAreBinancesSpellings() {
        #expect(KlineInterval.allCases.map(\.rawValue) == ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w"])
        #expect(KlineInterval(rawValue: "1M") == nil)
    }

    @Test func durations() {
        #expect(KlineInterval.oneMinute.duration == .seconds(60))
        #expect(KlineInterval.eightHours.milliseconds == 28_800_000)
        #expect(KlineInterval.oneWeek.duration == .seconds(7 * 86_400))
    }

    @Test func barsAlignToTheEpochAndWeeksToMonday() {
        let time = EpochMillis(1_746_372_812_345)  // 2025-05-04 15:33:32.345 UTC, a Sunday
        #expect(KlineInterval.oneMinute.openTime(containing: time) == EpochMillis(1_746_372_780_000))
        #expect(KlineInterval.oneHour.openTime(containing: time) == EpochMillis(1_746_370_800_000))
        #expect(KlineInterval.oneDay.openTime(containing: time) == EpochMillis(1_746_316_800_000))
        // The week opened on Monday 2025-04-28 00:00 UTC.
        #expect(KlineInterval.oneWeek.openTime(containing: time) == EpochMillis(1_745_798_400_000))
        #expect(KlineInterval.oneMinute.closeTime(forOpen: EpochMillis(1_746_372_780_000)) == EpochMillis(1_746_372_839_999))
        #expect(KlineInterval.fiveMinutes.isAligned(EpochMillis(1_746_372_900_000)))
        #expect(!KlineInterval.fiveMinutes.isAligned(EpochMillis(1_746_372_780_000)))
        #expect(KlineInterval.oneMinute.openTime(containing: EpochMillis(-1)) == EpochMillis(-60_000))
    }
}
