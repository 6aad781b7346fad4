/// Strict parsing of the numbers RESP lines carry.
enum RESPNumber {
    /// A decimal 64-bit integer with an optional sign; nil on anything else, including overflow.
    static func parse(_ bytes: [UInt8]) -> Int64? {
        var index = 0
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        guard index < bytes.count else { return nil }
        var value: Int64 = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Int64(byte - UInt8(ascii: "0"))
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// A RESP3 double: a decimal or exponent form, `inf`, `-inf` or `nan`.
    static func double(_ text: String) -> Double? {
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan": return .nan
        default:
            // Swift's parser also takes hex floats and words like "infinity"; RESP allows only decimal forms.
            guard !text.isEmpty, text.utf8.allSatisfy({ Self.decimalCharacters.contains($0) }) else { return nil }
            return Double(text)
        }
    }

    /// Whether `text` is an optionally signed run of decimal digits.
    static func isBigNumber(_ text: String) -> Bool {
        var digits = Substring(text)
        if digits.first == "-" || digits.first == "+" { digits = digits.dropFirst() }
        return !digits.isEmpty && digits.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private static let decimalCharacters = Set("0123456789+-.eE".utf8)
}
