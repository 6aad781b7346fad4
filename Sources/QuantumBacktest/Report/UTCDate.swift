/// A UTC calendar date and time from epoch milliseconds, without Foundation's calendars (fast and the same on every OS).
struct UTCDate: Hashable, Sendable {
    var year: Int64
    var month: Int64
    var day: Int64
    /// Seconds since midnight.
    var secondOfDay: Int64

    /// The date of `millis` (days from civil, H. Hinnant's algorithm).
    init(millis: Int64) {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `2025-05`.
    var monthText: String { Self.pad(year, 4) + "-" + Self.pad(month, 2) }
    /// `2025-05-04`.
    var dayText: String { monthText + "-" + Self.pad(day, 2) }
    /// `2025-05-04T15:33:00Z`.
    var isoText: String {
        dayText + "T" + Self.pad(secondOfDay / 3600, 2) + ":" + Self.pad(secondOfDay / 60 % 60, 2) + ":" + Self.pad(secondOfDay % 60, 2) + "Z"
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
