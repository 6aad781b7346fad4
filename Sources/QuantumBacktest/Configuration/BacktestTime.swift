import QuantumCore

/// UTC dates on the command line and in configuration files: `2025-05-04` or `2025-05-04T15:30` (or `…:SS`).
public enum BacktestTime {
    /// Milliseconds since the epoch of a UTC date or date-time; `nil` when the text is not one.
    public static func parse(_ text: String) -> EpochMillis? {
        let parts = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard date.count == 3, date[0].count == 4, date[1].count == 2, date[2].count == 2,
              let year = Int64(date[0]), let month = Int64(date[1]), let day = Int64(date[2]),
              (1...12).contains(month), (1...daysIn(month, of: year)).contains(day)
        else { return nil }
        var seconds: Int64 = 0
        if parts.count == 2 {
            let clock = parts[1].hasSuffix("Z") ? parts[1].dropLast() : parts[1]
            let fields = clock.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(fields.count), fields.allSatisfy({ $0.count == 2 }),
                  let hour = Int64(fields[0]), let minute = Int64(fields[1]), (0..<24).contains(hour), (0..<60).contains(minute)
            else { return nil }
            let second = fields.count == 3 ? Int64(fields[2]) : 0
            guard let second, (0..<60).contains(second) else { return nil }
            seconds = hour * 3600 + minute * 60 + second
        }
        return EpochMillis((daysFromCivil(year, month, day) * 86_400 + seconds) * 1000)
    }

    static func daysIn(_ month: Int64, of year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
