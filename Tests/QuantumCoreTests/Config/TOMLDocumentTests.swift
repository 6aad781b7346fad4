import Foundation
import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct TOMLDocumentTests {
    static let sample = """
        # QT-EMA reference workload
        [run]
        balance = "1000000"   # USDT
        leverage = 10
        fee = "0.0005"
        notional = "1000"
        interval = "1m"

        [data]
        first_days = 30
        gaps = "error"

        [strategy]
        kind = "ema_cross"
        fast = 20
        slow = 50
        atr = 14
        stop_atr = 1.5
        target_atr = 3.0

        [symbols]
        BTCUSDT = { step = "0.001", tick = "0.1" }
        ETHUSDT = { step = "0.001", tick = "0.01" }

        [symbols.XRPUSDT]
        step = "0.1"
        tick = "0.0001"

        """

    /// The error `text` is refused with, or `nil` when it parses.
    static func failure(_ text: String) -> TOMLError? {
        do {
            _ = try TOMLDocument.parse(text, file: "t.toml")
            return nil
        } catch {
            return error
        }
    }

    // MARK: Reading

    @Test func theSampleConfigReadsToItsEntriesAndLines() throws {
        let document = try TOMLDocument.parse(Self.sample, file: "qt-ema.toml")
        let expected: [TOMLEntry] = [
            TOMLEntry(key: "run.balance", value: .string("1000000"), line: 3),
            TOMLEntry(key: "run.leverage", value: .integer(10), line: 4),
            TOMLEntry(key: "run.fee", value: .string("0.0005"), line: 5),
            TOMLEntry(key: "run.notional", value: .string("1000"), line: 6),
            TOMLEntry(key: "run.interval", value: .string("1m"), line: 7),
            TOMLEntry(key: "data.first_days", value: .integer(30), line: 10),
            TOMLEntry(key: "data.gaps", value: .string("error"), line: 11),
            TOMLEntry(key: "strategy.kind", value: .string("ema_cross"), line: 14),
            TOMLEntry(key: "strategy.fast", value: .integer(20), line: 15),
            TOMLEntry(key: "strategy.slow", value: .integer(50), line: 16),
            TOMLEntry(key: "strategy.atr", value: .integer(14), line: 17),
            TOMLEntry(key: "strategy.stop_atr", value: .float(1.5), line: 18),
            TOMLEntry(key: "strategy.target_atr", value: .float(3.0), line: 19),
            TOMLEntry(key: "symbols.BTCUSDT.step", value: .string("0.001"), line: 22),
            TOMLEntry(key: "symbols.BTCUSDT.tick", value: .string("0.1"), line: 22),
            TOMLEntry(key: "symbols.ETHUSDT.step", value: .string("0.001"), line: 23),
            TOMLEntry(key: "symbols.ETHUSDT.tick", value: .string("0.01"), line: 23),
            TOMLEntry(key: "symbols.XRPUSDT.step", value: .string("0.1"), line: 26),
            TOMLEntry(key: "symbols.XRPUSDT.tick", value: .string("0.0001"), line: 27),
        ]
        #expect(document.file == "qt-ema.toml")
        #expect(document.entries == expected)
        #expect(document.tables == [
            TOMLTable(name: "run", line: 2), TOMLTable(name: "data", line: 9), TOMLTable(name: "strategy", line: 13),
            TOMLTable(name: "symbols", line: 21), TOMLTable(name: "symbols.XRPUSDT", line: 25),
        ])
        #expect(document.entry("strategy.fast")?.value == .integer(20))
        #expect(document.entry("strategy") == nil)
        #expect(document.entries(under: "symbols.BTCUSDT").map(\.key) == ["symbols.BTCUSDT.step", "symbols.BTCUSDT.tick"])
        #expect(document.entries(under: "symbols").count == 6)
        #expect(document.entries(under: "symbols.BTC").isEmpty)
    }

    @Test func crlfAndAByteOrderMarkReadLikeLF() throws {
        let lf = try TOMLDocument.parse(Self.sample, file: "a.toml")
        let crlf = try TOMLDocument.parse("\u{FEFF}" + Self.sample.replacingOccurrences(of: "\n", with: "\r\n"), file: "a.toml")
        #expect(crlf == lf)
    }

    @Test func inlineTablesFlattenIntoDottedEntries() throws {
        let document = try TOMLDocument.parse("""
            [symbols]
            BTC = { step = "0.001", limits = { min = 1, max = 5 }, fees.maker = 0.0002, none = {} }
            empty = {}
            """, file: "t.toml")
        #expect(document.entries == [
            TOMLEntry(key: "symbols.BTC.step", value: .string("0.001"), line: 2),
            TOMLEntry(key: "symbols.BTC.limits.min", value: .integer(1), line: 2),
            TOMLEntry(key: "symbols.BTC.limits.max", value: .integer(5), line: 2),
            TOMLEntry(key: "symbols.BTC.fees.maker", value: .float(0.0002), line: 2),
        ])
    }

    @Test func arraysSpanLinesWithCommentsTrailingCommasAndNesting() throws {
        let document = try TOMLDocument.parse("""
            symbols = [
              "BTCUSDT",  # the big one
              # a comment line
              'ETHUSDT',
            ]
            grid = [[1, 2], [3.5, [true]], []]
            empty = [ ]
            after = 1
            """, file: "t.toml")
        #expect(document.entries == [
            TOMLEntry(key: "symbols", value: .array([.string("BTCUSDT"), .string("ETHUSDT")]), line: 1),
            TOMLEntry(
                key: "grid", value: .array([.array([.integer(1), .integer(2)]), .array([.float(3.5), .array([.boolean(true)])]), .array([])]),
                line: 6),
            TOMLEntry(key: "empty", value: .array([]), line: 7),
            TOMLEntry(key: "after", value: .integer(1), line: 8),
        ])
    }

    @Test func stringsResolveEscapesAndKeepHashes() throws {
        let document = try TOMLDocument.parse(#"""
            basic = "a # not a comment \"q\" \\ \n\t\r\b\f \u00E9 \U0001F600"  # a comment
            literal = 'C:\path #1 "x"'
            empty = ""
            "quoted key" = 1
            'literal.key' = 2
            [ a . "b c" ]
            x = true
            """#, file: "t.toml")
        #expect(document.entry("basic")?.value == .string("a # not a comment \"q\" \\ \n\t\r\u{8}\u{C} é 😀"))
        #expect(document.entry("literal")?.value == .string(#"C:\path #1 "x""#))
        #expect(document.entry("empty")?.value == .string(""))
        #expect(document.entry(#""quoted key""#)?.value == .integer(1))
        #expect(document.entry(#""literal.key""#)?.value == .integer(2))
        #expect(document.tables == [TOMLTable(name: #"a."b c""#, line: 6)])
        #expect(document.entry(#"a."b c".x"#)?.value == .boolean(true))
    }

    @Test func numbersReadAsTOMLWritesThem() throws {
        let document = try TOMLDocument.parse("""
            a = 0
            b = -17
            c = +1_000_000
            d = 9223372036854775807
            e = -9223372036854775808
            f = 1.5
            g = -0.25
            h = 1e3
            i = 1.5E-2
            j = 6.626e-34
            k = 1_000.000_1
            l = 0.5e+2
            m = false
            """, file: "t.toml")
        #expect(document.entries.map(\.value) == [
            .integer(0), .integer(-17), .integer(1_000_000), .integer(.max), .integer(.min), .float(1.5), .float(-0.25), .float(1000),
            .float(0.015), .float(6.626e-34), .float(1000.0001), .float(50), .boolean(false),
        ])
    }

    @Test func tablesMayBeAddedToAsTOMLAllows() throws {
        let document = try TOMLDocument.parse("""
            [a.b]
            x = 1
            [a]
            y = 2
            [fruit]
            apple.color = "red"
            apple.taste.sweet = true
            [fruit.apple.texture]
            smooth = true
            """, file: "t.toml")
        #expect(document.entries.map(\.key) == ["a.b.x", "a.y", "fruit.apple.color", "fruit.apple.taste.sweet", "fruit.apple.texture.smooth"])
        #expect(document.tables.map(\.name) == ["a.b", "a", "fruit", "fruit.apple.texture"])
    }

    @Test func valuesDescribeThemselvesAsTOML() {
        #expect(TOMLValue.string("a\"b\\\n\u{1}é").description == #""a\"b\\\n\u0001é""#)
        #expect(TOMLValue.array([.integer(-1), .float(2.5), .string("x"), .boolean(true), .array([])]).description == #"[-1, 2.5, "x", true, []]"#)
        #expect(TOMLValue.float(3).description == "3.0")
        #expect([TOMLValue.string(""), .integer(0), .float(0), .boolean(false), .array([])].map(\.typeName) == [
            "string", "integer", "float", "boolean", "array",
        ])
    }

    // MARK: Refusing

    @Test func aDuplicateKeyNamesBothLines() throws {
        var lines = Self.sample.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert("fast = 21", at: 19)  // line 20, in [strategy], after `fast` on line 15
        let error = try #require(Self.failure(lines.joined(separator: "\n")))
        #expect(error.code == .duplicateKey)
        #expect(error.line == 20)
        #expect(error.message == "t.toml:20: duplicate key 'strategy.fast' (first on line 15)")
        #expect(error.description == "duplicate_key: t.toml:20: duplicate key 'strategy.fast' (first on line 15)")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var text: String
        var code: TOMLError.Code
        var line: Int
        var testDescription: String { "\(code.rawValue)@\(line): \(text.debugDescription)" }
        init(_ text: String, _ code: TOMLError.Code, _ line: Int) {
            self.text = text
            self.code = code
            self.line = line
        }
    }

    static let refusals: [Refusal] = [
        // Syntax
        Refusal("a = \"x\\q\"", .syntax, 1),
        Refusal("a = 1\nb = \"x\\u12\"", .syntax, 2),
        Refusal("a = \"\\uD800\"", .syntax, 1),
        Refusal("a = \"\\U00110000\"", .syntax, 1),
        Refusal("a = \"open\nb = 1", .syntax, 1),
        Refusal("a = 'open", .syntax, 1),
        Refusal("a = \"tab\u{1}\"", .syntax, 1),
        Refusal("a = 1 b", .syntax, 1),
        Refusal("a = \"x\" \"y\"", .syntax, 1),
        Refusal("a = true # ok\nb = [1] x", .syntax, 2),
        Refusal("a = 01", .syntax, 1),
        Refusal("a = -007", .syntax, 1),
        Refusal("a = 00.5", .syntax, 1),
        Refusal("a = 1__0", .syntax, 1),
        Refusal("a = _1", .syntax, 1),
        Refusal("a = 1_", .syntax, 1),
        Refusal("a = 1.", .syntax, 1),
        Refusal("a = .5", .syntax, 1),
        Refusal("a = 1.2.3", .syntax, 1),
        Refusal("a = 1e", .syntax, 1),
        Refusal("a = 1-2", .syntax, 1),
        Refusal("a = yes", .syntax, 1),
        Refusal("a = True", .syntax, 1),
        Refusal("a =", .syntax, 1),
        Refusal("a = # nothing", .syntax, 1),
        Refusal("a 1", .syntax, 1),
        Refusal("= 1", .syntax, 1),
        Refusal("a. = 1", .syntax, 1),
        Refusal("[a", .syntax, 1),
        Refusal("[]", .syntax, 1),
        Refusal("[a] x = 1", .syntax, 1),
        Refusal("\n\na = [1,\n2", .syntax, 3),
        Refusal("a = [1 2]", .syntax, 1),
        Refusal("a = [1,,2]", .syntax, 1),
        Refusal("a = [\n1,\nb = 2]", .syntax, 3),
        Refusal("a = { x = 1, }", .syntax, 1),
        Refusal("a = { x = 1\n}", .syntax, 1),
        Refusal("a = { x 1 }", .syntax, 1),
        Refusal("a = 1\rb = 2", .syntax, 1),
        Refusal("# bell \u{7}\na = 1", .syntax, 1),
        // Duplicates
        Refusal("a = 1\nb = 2\na = 3", .duplicateKey, 3),
        Refusal("[a]\nx = 1\n[b]\n[a]", .duplicateKey, 4),
        Refusal("[ a ]\n[a]", .duplicateKey, 2),
        Refusal("a = 1\na.b = 2", .duplicateKey, 2),
        Refusal("a.b = 1\na = 2", .duplicateKey, 2),
        Refusal("a = 1\n[a]", .duplicateKey, 2),
        Refusal("a = 1\n[a.b]", .duplicateKey, 2),
        Refusal("a.b = 1\n[a]", .duplicateKey, 2),
        Refusal("[s]\nBTC = { step = 1 }\n[s.BTC]", .duplicateKey, 3),
        Refusal("[s]\nBTC = { step = 1 }\n[s.BTC.x]", .duplicateKey, 3),
        Refusal("[s]\nBTC = { step = 1 }\nBTC.tick = 2", .duplicateKey, 3),
        Refusal("x = { a = 1, a = 2 }", .duplicateKey, 1),
        Refusal("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", .duplicateKey, 4),
        Refusal("[a.b]\n[a]\nb = 1", .duplicateKey, 3),
        Refusal("\"a\" = 1\na = 2", .duplicateKey, 2),
        // Outside the subset
        Refusal("[[fills]]", .unsupported, 1),
        Refusal("a = 1\n[[a.b]]", .unsupported, 2),
        Refusal("a = \"\"\"x\"\"\"", .unsupported, 1),
        Refusal("a = '''x'''", .unsupported, 1),
        Refusal("a = 1979-05-27", .unsupported, 1),
        Refusal("a = 1979-05-27T07:32:00Z", .unsupported, 1),
        Refusal("a = 1979-05-27 07:32:00", .unsupported, 1),
        Refusal("a = 07:32:00", .unsupported, 1),
        Refusal("a = 0x1F", .unsupported, 1),
        Refusal("a = 0o17", .unsupported, 1),
        Refusal("a = 0b101", .unsupported, 1),
        Refusal("a = [{ x = 1 }]", .unsupported, 1),
        Refusal("a = " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40), .unsupported, 1),
        // Numbers beyond what a value can hold
        Refusal("a = 9223372036854775808", .badValue, 1),
        Refusal("a = -9223372036854775809", .badValue, 1),
        Refusal("a = 99999999999999999999999", .badValue, 1),
        Refusal("a = inf", .badValue, 1),
        Refusal("a = -inf", .badValue, 1),
        Refusal("a = nan", .badValue, 1),
        Refusal("a = [1, +nan]", .badValue, 1),
        Refusal("a = 1e400", .badValue, 1),
    ]

    @Test(arguments: refusals) func refusesWithCodeAndLine(_ refusal: Refusal) throws {
        let error = try #require(Self.failure(refusal.text))
        #expect(error.code == refusal.code, "\(error)")
        #expect(error.line == refusal.line, "\(error)")
        #expect(error.file == "t.toml")
        #expect(error.message.hasPrefix("t.toml:\(refusal.line): "))
    }

    // MARK: Files

    @Test func loadsAFileAndRefusesOneItCannotRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("toml-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("qt-ema.toml")
        try Data(Self.sample.utf8).write(to: good)
        let document = try TOMLDocument.load(path: good.path)
        #expect(document.file == good.path)
        #expect(document.entries == (try TOMLDocument.parse(Self.sample, file: "x")).entries)

        let missing = directory.appendingPathComponent("missing.toml").path
        #expect(throws: TOMLError.self) { try TOMLDocument.load(path: missing) }
        do {
            _ = try TOMLDocument.load(path: missing)
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.line == 0)
            #expect(error.message.hasPrefix("\(missing): "))
        }

        let binary = directory.appendingPathComponent("binary.toml")
        try Data([0x61, 0x20, 0x3D, 0x20, 0x22, 0xFF, 0xFE, 0x22]).write(to: binary)
        do {
            _ = try TOMLDocument.load(path: binary.path)
            Issue.record("invalid UTF-8 was read")
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.line == 0)
        }
    }

    // MARK: Fuzzing

    static let snippets: [String] = [
        "[", "]", "[[", "{", "}", "=", "\"", "'", "\"\"\"", "#", ".", ",", "\n", "\r", "\r\n", "\\", "\\u", "\\U0001F600", " ", "\t",
        "_", "-", "+", "0", "01", "0x", "1e999", "inf", "nan", "true", "é", "\u{0}", "1979-05-27", "a.b", "= {", "}\n", "[a]\n",
        "9223372036854775808", "x = 1\n",
    ]

    @Test func randomMutationsOfTheSampleNeverCrash() throws {
        var random = SeededGenerator(seed: 0x7041)
        let original = Array(Self.sample.utf8)
        var parsed = 0
        var refused = 0
        for _ in 0..<2_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0...bytes.count, using: &random)
                switch Int.random(in: 0..<5, using: &random) {
                case 0: if at < bytes.count { bytes.remove(at: at) }
                case 1: bytes.insert(contentsOf: Self.snippets.randomElement(using: &random).map { Array($0.utf8) } ?? [], at: at)
                case 2: if at < bytes.count { bytes[at] = UInt8.random(in: 0...255, using: &random) }
                case 3:
                    let end = min(bytes.count, at + Int.random(in: 1...40, using: &random))
                    bytes.insert(contentsOf: bytes[at..<end], at: Int.random(in: 0...bytes.count, using: &random))
                default: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...20, using: &random)))
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let lineCount = text.utf8.count { $0 == 0x0A } + 1
            do {
                let document = try TOMLDocument.parse(text, file: "f.toml")
                parsed += 1
                // What reads must write back (as dotted keys) to the same entries.
                let written = document.entries.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
                let again = try TOMLDocument.parse(written, file: "g.toml")
                #expect(again.entries.map(\.key) == document.entries.map(\.key))
                #expect(again.entries.map(\.value) == document.entries.map(\.value))
                #expect(document.entries.allSatisfy { (1...lineCount).contains($0.line) })
            } catch {
                refused += 1
                #expect((1...lineCount).contains(error.line), "\(error)")
                #expect(error.message.hasPrefix("f.toml:\(error.line): "))
            }
        }
        #expect(parsed > 100)
        #expect(refused > 100)
    }
}
