/// Splitting and percent-coding of `application/x-www-form-urlencoded` text, the format of Binance's
/// query strings and request bodies.
public enum FormURLEncoding {
    /// The `name=value` fields of raw form text, decoded, in wire order.
    ///
    /// Empty segments (`a=1&&b=2`, a trailing `&`) are skipped; a segment without `=` is a name with
    /// an empty value.
    public static func fields(of raw: some Collection<UInt8>) -> [(name: String, value: String)] {
        // One copy into contiguous bytes, then index arithmetic: the generic `split` path is not specialised across
        // modules and was a sixth of the paper exchange's work per request.
        let bytes = Array(raw)
        var fields: [(name: String, value: String)] = []
        var start = 0
        while start < bytes.count {
            var end = start
            var equals: Int?
            while end < bytes.count, bytes[end] != UInt8(ascii: "&") {
                if equals == nil, bytes[end] == UInt8(ascii: "=") { equals = end }
                end += 1
            }
            if end > start {
                if let equals {
                    fields.append((decode(bytes, start..<equals), decode(bytes, (equals + 1)..<end)))
                } else {
                    fields.append((decode(bytes, start..<end), ""))
                }
            }
            start = end + 1
        }
        return fields
    }

    /// Percent-decodes one component: `+` is a space and `%XX` a byte.
    ///
    /// A malformed escape (`%G1`, a lone `%`) is kept literally and invalid UTF-8 becomes U+FFFD, as
    /// lenient servers do; the signature is checked on the raw bytes, so leniency here cannot forge one.
    public static func decode(_ component: some Collection<UInt8>) -> String {
        let bytes = Array(component)
        return decode(bytes, 0..<bytes.count)
    }

    private static func decode(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        var plain = true
        for index in range where bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "%") {
            plain = false
            break
        }
        if plain { return String(decoding: bytes[range], as: UTF8.self) }
        var output: [UInt8] = []
        output.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < range.upperBound,
                      let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Percent-encodes one component, keeping only RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
    public static func encode(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                output += "%"
                output.unicodeScalars.append(Unicode.Scalar(hexDigits[Int(byte >> 4)]))
                output.unicodeScalars.append(Unicode.Scalar(hexDigits[Int(byte & 0x0F)]))
            }
        }
        return output
    }

    /// Encodes fields as `name=value&…` in the order given.
    public static func encode(_ fields: [(name: String, value: String)]) -> String {
        fields.map { "\(encode($0.name))=\(encode($0.value))" }.joined(separator: "&")
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
