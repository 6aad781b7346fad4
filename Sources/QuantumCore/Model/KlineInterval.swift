/// A Binance kline interval (`1m` … `1w`), raw values spelled as Binance spells them.
///
/// Bars are aligned to the Unix epoch, except weekly bars, which open on Monday 00:00 UTC as
/// Binance's do (the epoch fell on a Thursday). The monthly `1M` interval is not offered: its
/// bars have no fixed length.
public enum KlineInterval: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    case oneMinute = "1m"
    case threeMinutes = "3m"
    case fiveMinutes = "5m"
    case fifteenMinutes = "15m"
    case thirtyMinutes = "30m"
    case oneHour = "1h"
    case twoHours = "2h"
    case fourHours = "4h"
    case sixHours = "6h"
    case eightHours = "8h"
    case twelveHours = "12h"
    case oneDay = "1d"
    case threeDays = "3d"
    case oneWeek = "1w"

    /// The length of one bar in milliseconds.
    public var milliseconds: Int64 {
        let minute: Int64 = 60_000
        switch self {
        case .oneMinute: return minute
        case .threeMinutes: return 3 * minute
        case .fiveMinutes: return 5 * minute
        case .fifteenMinutes: return 15 * minute
        case .thirtyMinutes: return 30 * minute
        case .oneHour: return 60 * minute
        case .twoHours: return 120 * minute
        case .fourHours: return 240 * minute
        case .sixHours: return 360 * minute
        case .eightHours: return 480 * minute
        case .twelveHours: return 720 * minute
        case .oneDay: return 1_440 * minute
        case .threeDays: return 3 * 1_440 * minute
        case .oneWeek: return 7 * 1_440 * minute
        }
    }

    /// The length of one bar.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// Where bars are counted from: the epoch, or for weekly bars the first Monday (1970-01-05).
    private var origin: Int64 { self == .oneWeek ? 4 * 86_400_000 : 0 }

    /// The open time of the bar that contains `time`.
    public func openTime(containing time: EpochMillis) -> EpochMillis {
        let offset = time.rawValue - origin
        var bars = offset / milliseconds
        if offset % milliseconds < 0 { bars -= 1 }
        return EpochMillis(origin + bars * milliseconds)
    }

    /// The last millisecond of the bar opening at `openTime` (Binance's `closeTime`).
    public func closeTime(forOpen openTime: EpochMillis) -> EpochMillis {
        EpochMillis(openTime.rawValue + milliseconds - 1)
    }

    /// Whether `time` is the open time of a bar of this interval.
    public func isAligned(_ time: EpochMillis) -> Bool { openTime(containing: time) == time }

    public var description: String { rawValue }
}
