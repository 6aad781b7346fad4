/// The ASCII bytes the TOML scanner looks for.
enum TOMLByte {
    static let tab: UInt8 = 0x09, lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, space: UInt8 = 0x20
    static let quote: UInt8 = 0x22, hash: UInt8 = 0x23, apostrophe: UInt8 = 0x27, plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C, minus: UInt8 = 0x2D, dot: UInt8 = 0x2E, zero: UInt8 = 0x30, colon: UInt8 = 0x3A
    static let equals: UInt8 = 0x3D, openBracket: UInt8 = 0x5B, backslash: UInt8 = 0x5C, closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F, openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D

    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    /// A byte of a bare key: `A-Za-z0-9_-`.
    static func isBare(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) || byte == underscore || byte == minus }
    /// A byte of an unquoted value (number, boolean, date): bare bytes plus `+ . :`.
    static func isToken(_ byte: UInt8) -> Bool { isBare(byte) || byte == plus || byte == dot || byte == colon }
    /// A control character TOML refuses in strings and comments (tab is allowed).
    static func isControl(_ byte: UInt8) -> Bool { (byte < space && byte != tab) || byte == 0x7F }
}

/// One `key = value` of an inline table, its key relative to the table; a `nil` value is an empty nested table.
struct TOMLInlineEntry {
    var key: [String]
    var value: TOMLValue?
    var line: Int
}

/// A cursor over the UTF-8 bytes of a TOML file that reads its pieces: keys, values, comments and line ends.
struct TOMLScanner {
    /// How deep arrays and inline tables may nest; deeper input is refused instead of recursing without bound.
    static let maxDepth = 32

    let bytes: [UInt8]
    let file: String
    private(set) var index = 0
    /// The 1-based line of the cursor.
    private(set) var line = 1

    init(text: String, file: String) {
        bytes = Array(text.utf8)
        self.file = file
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }  // a UTF-8 byte order mark
    }

    /// The byte under the cursor; `nil` at the end of the file.
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    func peek(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }

    /// Moves past the byte under the cursor, which is not a line end.
    mutating func advance() { index += 1 }

    func error(_ code: TOMLError.Code, _ detail: String, line: Int? = nil) -> TOMLError {
        TOMLError(code, file: file, line: line ?? self.line, detail)
    }

    /// The byte for a message: `'='`, `end of line`, `end of file`.
    func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "end of file" }
        switch byte {
        case TOMLByte.lf: return "end of line"
        case TOMLByte.cr: return "a carriage return"
        case TOMLByte.space: return "a space"
        case TOMLByte.tab: return "a tab"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x80...: return "a non-ASCII character"
        default: return "control character 0x" + String(byte, radix: 16, uppercase: true)
        }
    }

    // MARK: Space, comments, line ends

    mutating func skipSpaces() {
        while current == TOMLByte.space || current == TOMLByte.tab { index += 1 }
    }

    /// Skips a `#` comment, if the cursor is on one, up to its line end.
    mutating func skipComment() throws(TOMLError) {
        guard current == TOMLByte.hash else { return }
        while let byte = current, byte != TOMLByte.lf, byte != TOMLByte.cr {
            guard !TOMLByte.isControl(byte) else { throw error(.syntax, "\(describe(byte)) in a comment") }
            index += 1
        }
    }

    /// Moves past a line end (LF or CRLF) if the cursor is on one.
    mutating func consumeNewline() -> Bool {
        if current == TOMLByte.lf {
            index += 1
        } else if current == TOMLByte.cr, peek(1) == TOMLByte.lf {
            index += 2
        } else {
            return false
        }
        line += 1
        return true
    }

    /// Ends a line after `what`: spaces, an optional comment, then a line end or the end of the file.
    mutating func endLine(after what: String) throws(TOMLError) {
        skipSpaces()
        try skipComment()
        guard current == nil || consumeNewline() else { throw error(.syntax, "unexpected \(describe(current)) after \(what)") }
    }

    /// Skips what may separate array items: spaces, comments and line ends.
    mutating func skipArraySpace() throws(TOMLError) {
        repeat {
            skipSpaces()
            try skipComment()
        } while consumeNewline()
    }

    // MARK: Keys

    /// Reads a key: bare or quoted parts separated by dots, with spaces allowed around the dots.
    mutating func key() throws(TOMLError) -> [String] {
        var parts = [try keyPart()]
        while true {
            let before = index
            skipSpaces()
            guard current == TOMLByte.dot else {
                index = before
                return parts
            }
            index += 1
            skipSpaces()
            parts.append(try keyPart())
        }
    }

    private mutating func keyPart() throws(TOMLError) -> String {
        switch current {
        case TOMLByte.quote?: return try basicString()
        case TOMLByte.apostrophe?: return try literalString()
        default:
            let start = index
            while let byte = current, TOMLByte.isBare(byte) { index += 1 }
            guard index > start else { throw error(.syntax, "expected a key, found \(describe(current))") }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    // MARK: Strings

    /// Reads a basic string `"..."`, resolving its escapes; the cursor is on the opening quote.
    mutating func basicString() throws(TOMLError) -> String {
        index += 1
        var text: [UInt8] = []
        while true {
            guard let byte = current, byte != TOMLByte.lf, byte != TOMLByte.cr else { throw error(.syntax, "unterminated string") }
            index += 1
            switch byte {
            case TOMLByte.quote: return String(decoding: text, as: UTF8.self)
            case TOMLByte.backslash: try escape(into: &text)
            default:
                guard !TOMLByte.isControl(byte) else { throw error(.syntax, "\(describe(byte)) in a string (write it escaped)") }
                text.append(byte)
            }
        }
    }

    private mutating func escape(into text: inout [UInt8]) throws(TOMLError) {
        guard let byte = current, byte != TOMLByte.lf, byte != TOMLByte.cr else { throw error(.syntax, "unterminated string") }
        index += 1
        switch byte {
        case TOMLByte.quote, TOMLByte.backslash: text.append(byte)
        case UInt8(ascii: "n"): text.append(TOMLByte.lf)
        case UInt8(ascii: "t"): text.append(TOMLByte.tab)
        case UInt8(ascii: "r"): text.append(TOMLByte.cr)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "u"): try unicodeEscape(digits: 4, into: &text)
        case UInt8(ascii: "U"): try unicodeEscape(digits: 8, into: &text)
        default: throw error(.syntax, "invalid escape '\\' followed by \(describe(byte)) in a string")
        }
    }

    private mutating func unicodeEscape(digits: Int, into text: inout [UInt8]) throws(TOMLError) {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let byte = current, let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw error(.syntax, "a \(digits == 4 ? "\\u" : "\\U") escape needs \(digits) hex digits")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw error(.syntax, "escape U+\(String(value, radix: 16, uppercase: true)) is not a Unicode scalar value")
        }
        UTF8.encode(scalar) { text.append($0) }
    }

    /// Reads a literal string `'...'`, taken as written; the cursor is on the opening apostrophe.
    mutating func literalString() throws(TOMLError) -> String {
        index += 1
        let start = index
        while true {
            guard let byte = current, byte != TOMLByte.lf, byte != TOMLByte.cr else { throw error(.syntax, "unterminated string") }
            if byte == TOMLByte.apostrophe {
                defer { index += 1 }
                return String(decoding: bytes[start..<index], as: UTF8.self)
            }
            guard !TOMLByte.isControl(byte) else { throw error(.syntax, "\(describe(byte)) in a string") }
            index += 1
        }
    }

    // MARK: Values

    /// Reads a value other than an inline table (which only a key may have); `depth` counts the enclosing arrays.
    mutating func value(depth: Int) throws(TOMLError) -> TOMLValue {
        switch current {
        case TOMLByte.quote?:
            guard peek(1) != TOMLByte.quote || peek(2) != TOMLByte.quote else {
                throw error(.unsupported, "multi-line strings (\"\"\") are not supported")
            }
            return .string(try basicString())
        case TOMLByte.apostrophe?:
            guard peek(1) != TOMLByte.apostrophe || peek(2) != TOMLByte.apostrophe else {
                throw error(.unsupported, "multi-line strings (''') are not supported")
            }
            return .string(try literalString())
        case TOMLByte.openBracket?: return try array(depth: depth + 1)
        case TOMLByte.openBrace?: throw error(.unsupported, "inline tables inside arrays are not supported")
        default:
            let start = index
            while let byte = current, TOMLByte.isToken(byte) { index += 1 }
            guard index > start else { throw error(.syntax, "expected a value, found \(describe(current))") }
            do {
                return try TOMLValue.parse(token: bytes[start..<index])
            } catch {
                throw self.error(error.code, error.detail)
            }
        }
    }

    private mutating func array(depth: Int) throws(TOMLError) -> TOMLValue {
        guard depth <= Self.maxDepth else { throw error(.unsupported, "arrays nested more than \(Self.maxDepth) deep are not supported") }
        let opened = line
        index += 1
        var items: [TOMLValue] = []
        while true {
            try skipArraySpace()
            if current == TOMLByte.closeBracket { break }
            guard current != nil else { throw error(.syntax, "this array is never closed", line: opened) }
            items.append(try value(depth: depth))
            try skipArraySpace()
            if current == TOMLByte.comma {
                index += 1
            } else if current == TOMLByte.closeBracket {
                break
            } else {
                guard current != nil else { throw error(.syntax, "this array is never closed", line: opened) }
                throw error(.syntax, "expected ',' or ']' in the array, found \(describe(current))")
            }
        }
        index += 1
        return .array(items)
    }

    /// Reads an inline table `{ k = v, ... }` on one line, nested tables flattened to keys relative to it.
    mutating func inlineTable(depth: Int) throws(TOMLError) -> [TOMLInlineEntry] {
        guard depth <= Self.maxDepth else { throw error(.unsupported, "inline tables nested more than \(Self.maxDepth) deep are not supported") }
        index += 1
        skipSpaces()
        var entries: [TOMLInlineEntry] = []
        if current == TOMLByte.closeBrace {
            index += 1
            return entries
        }
        while true {
            skipSpaces()
            let keyLine = line
            let key = try key()
            skipSpaces()
            guard current == TOMLByte.equals else { throw error(.syntax, "expected '=' after a key in the inline table, found \(describe(current))") }
            index += 1
            skipSpaces()
            if current == TOMLByte.openBrace {
                let inner = try inlineTable(depth: depth + 1)
                if inner.isEmpty { entries.append(TOMLInlineEntry(key: key, value: nil, line: keyLine)) }
                entries += inner.map { TOMLInlineEntry(key: key + $0.key, value: $0.value, line: $0.line) }
            } else {
                entries.append(TOMLInlineEntry(key: key, value: try value(depth: depth), line: keyLine))
            }
            skipSpaces()
            switch current {
            case TOMLByte.comma?:
                index += 1
                skipSpaces()
                guard current != TOMLByte.closeBrace else { throw error(.syntax, "trailing comma in an inline table") }
            case TOMLByte.closeBrace?:
                index += 1
                return entries
            case nil, TOMLByte.lf?, TOMLByte.cr?, TOMLByte.hash?:
                throw error(.syntax, "an inline table must close on the line it opens (found \(describe(current)))")
            default:
                throw error(.syntax, "expected ',' or '}' in the inline table, found \(describe(current))")
            }
        }
    }
}
