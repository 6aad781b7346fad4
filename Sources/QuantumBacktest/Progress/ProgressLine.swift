/// The text of a terminal progress bar: `[██████······] 120,000/215,997 bars  1.9M bars/s  ETA 0.1s`.
public enum ProgressLine {
    /// The line for `done` of `total` bars after `elapsed` seconds, with a bar `width` cells wide.
    public static func render(done: Int, total: Int, elapsed: Double, width: Int = 24) -> String {
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(max(total - done, 0)) / rate : 0
        return "[\(bar)] \(grouped(done))/\(grouped(total)) bars  \(compact(rate)) bars/s  ETA \(duration(remaining))"
    }

    /// `215997` → `215,997`.
    public static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// `1_900_000` → `1.9M`, `26_000` → `26.0k`.
    public static func compact(_ value: Double) -> String {
        switch value {
        case 1e6...: format(value / 1e6, "M")
        case 1e3...: format(value / 1e3, "k")
        default: format(value, "")
        }
    }

    /// `0.1s`, `42s`, `3m05s`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return format(seconds, "s") }
        let whole = Int(seconds.rounded())
        return whole < 60 ? "\(whole)s" : "\(whole / 60)m" + (whole % 60 < 10 ? "0" : "") + "\(whole % 60)s"
    }

    static func format(_ value: Double, _ suffix: String) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)\(suffix)"
    }
}
