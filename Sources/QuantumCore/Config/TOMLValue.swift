/// A value of the supported TOML subset: a string, a 64-bit integer, a finite float, a boolean or an array of them.
public enum TOMLValue: Hashable, Sendable, CustomStringConvertible {
    /// A basic (`"..."`) or literal (`'...'`) string, escapes resolved.
    case string(String)
    /// A decimal integer that fits in 64 bits.
    case integer(Int64)
    /// A finite float.
    case float(Double)
    /// `true` or `false`.
    case boolean(Bool)
    /// An array of values, possibly of mixed types.
    case array([TOMLValue])

    /// The TOML name of the value's type, for messages: `string`, `integer`, `float`, `boolean` or `array`.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        }
    }

    /// The value as TOML writes it: strings quoted and escaped, arrays as `[1, 2, 3]`.
    public var description: String {
        switch self {
        case .string(let text): Self.quoted(text)
        case .integer(let number): String(number)
        case .float(let number): number.description  // Swift's shortest form is TOML too: 1.0, 1e-05, 1e+20
        case .boolean(let flag): flag ? "true" : "false"
        case .array(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// `text` as a TOML basic string: in double quotes, with quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "\u{0}"..."\u{1F}", "\u{7F}":
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

// MARK: Reading unquoted values

extension TOMLValue {
    /// Why an unquoted token is not a value; the scanner adds the file and line.
    struct TokenProblem: Error {
        var code: TOMLError.Code
        var detail: String
    }

    /// The boolean, integer or float an unquoted token spells, or why it is refused.
    static func parse(token: ArraySlice<UInt8>) throws(TokenProblem) -> TOMLValue {
        let text = String(decoding: token, as: UTF8.self)
        switch text {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf", "-inf", "nan", "+nan", "-nan": throw TokenProblem(code: .badValue, detail: "'\(text)' is not a finite number")
        default: break
        }
        let unsigned = token.first == TOMLByte.plus || token.first == TOMLByte.minus ? token.dropFirst() : token
        if unsigned.first == TOMLByte.zero, let radix = unsigned.dropFirst().first, [UInt8(ascii: "x"), UInt8(ascii: "o"), UInt8(ascii: "b")].contains(radix) {
            throw TokenProblem(code: .unsupported, detail: "hexadecimal, octal and binary integers are not supported: '\(text)'")
        }
        if token.contains(TOMLByte.colon) || looksLikeDate(token) {
            throw TokenProblem(code: .unsupported, detail: "dates and times are not supported: '\(text)'")
        }
        guard let first = unsigned.first, TOMLByte.isDigit(first) else {
            throw TokenProblem(code: .syntax, detail: "invalid value '\(text)' (strings need quotes)")
        }
        let isFloat = unsigned.contains { $0 == TOMLByte.dot || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        return isFloat ? try float(token, text) : try integer(token, text)
    }

    private static func integer(_ token: ArraySlice<UInt8>, _ text: String) throws(TokenProblem) -> TOMLValue {
        let negative = token.first == TOMLByte.minus
        let digits = negative || token.first == TOMLByte.plus ? token.dropFirst() : token
        guard isDigitGroup(digits) else { throw TokenProblem(code: .syntax, detail: "malformed number '\(text)'") }
        guard digits.count == 1 || digits.first != TOMLByte.zero else {
            throw TokenProblem(code: .syntax, detail: "leading zeros are not allowed: '\(text)'")
        }
        var value: Int64 = 0
        for byte in digits where byte != TOMLByte.underscore {
            let digit = Int64(byte - TOMLByte.zero)
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { throw TokenProblem(code: .badValue, detail: "integer \(text) does not fit in 64 bits") }
            value = next
        }
        return .integer(value)
    }

    /// A float: an integer part, then a fraction (`.5`), an exponent (`e-2`) or both; `_` only between digits.
    private static func float(_ token: ArraySlice<UInt8>, _ text: String) throws(TokenProblem) -> TOMLValue {
        let body = token.first == TOMLByte.minus || token.first == TOMLByte.plus ? token.dropFirst() : token
        let exponentAt = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = body[..<(exponentAt ?? body.endIndex)]
        let pointAt = mantissa.firstIndex(of: TOMLByte.dot)
        let whole = mantissa[..<(pointAt ?? mantissa.endIndex)]
        var wellFormed = isDigitGroup(whole)
        if let pointAt { wellFormed = wellFormed && isDigitGroup(mantissa[(pointAt + 1)...]) }
        if let exponentAt {
            var exponent = body[(exponentAt + 1)...]
            if exponent.first == TOMLByte.plus || exponent.first == TOMLByte.minus { exponent = exponent.dropFirst() }
            wellFormed = wellFormed && isDigitGroup(exponent)
        }
        guard wellFormed else { throw TokenProblem(code: .syntax, detail: "malformed number '\(text)'") }
        guard whole.count == 1 || whole.first != TOMLByte.zero else {
            throw TokenProblem(code: .syntax, detail: "leading zeros are not allowed: '\(text)'")
        }
        guard let value = Double(String(decoding: token.filter { $0 != TOMLByte.underscore }, as: UTF8.self)) else {
            throw TokenProblem(code: .syntax, detail: "malformed number '\(text)'")
        }
        guard value.isFinite else { throw TokenProblem(code: .badValue, detail: "float \(text) is out of range (not a finite number)") }
        return .float(value)
    }

    /// Digits with single underscores between them: `1`, `1_000`; not `_1`, `1_`, `1__0` or empty.
    private static func isDigitGroup(_ part: ArraySlice<UInt8>) -> Bool {
        guard let first = part.first, let last = part.last, TOMLByte.isDigit(first), TOMLByte.isDigit(last) else { return false }
        return part.allSatisfy { TOMLByte.isDigit($0) || $0 == TOMLByte.underscore } && !zip(part, part.dropFirst()).contains {
            $0 == TOMLByte.underscore && $1 == TOMLByte.underscore
        }
    }

    /// `1979-05-27…`: four digits, a dash, two digits, a dash.
    private static func looksLikeDate(_ token: ArraySlice<UInt8>) -> Bool {
        let head = Array(token.prefix(8))
        return head.count == 8 && head[4] == TOMLByte.minus && head[7] == TOMLByte.minus
            && (head[0..<4] + head[5..<7]).allSatisfy(TOMLByte.isDigit)
    }
}
