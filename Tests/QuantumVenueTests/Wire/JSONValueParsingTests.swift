import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct JSONValueParsingTests {
    @Test func parsesExactlyAndKeepsOrder() throws {
        let json = try JSONValue(parsing: #"{"b":1,"a":"0.00100000","id":9223372036854775807,"big":18446744073709551616,"f":-1.5e3,"t":true,"n":null,"l":[1,[]]}"#)
        guard case .object(let members) = json else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a", "id", "big", "f", "t", "n", "l"])
        #expect(json["id"] == .integer(Int64.max))
        #expect(json["big"] == .number("18446744073709551616"))
        #expect(json["f"] == .number("-1.5e3"))
        #expect(json["a"] == .string("0.00100000"))
        #expect(json["n"] == .null)
        #expect(json["l"] == .array([.integer(1), .array([])]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let json = try JSONValue(parsing: #"["a\"b\\c\/d\n\t", "\u00e9\ud83d\ude00"]"#)
        #expect(json == .array([.string("a\"b\\c/d\n\t"), .string("é😀")]))
    }

    @Test func roundTripsItsOwnText() throws {
        let value: JSONValue = ["symbol": "BTCUSDT", "qty": "0.001", "ids": [1, 2], "ok": true, "quote": "a\"b"]
        #expect(try JSONValue(parsing: value.text) == value)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "tru", "\"\\x\"", "\"\u{01}\"", "[1] 2", "{\"a\" 1}", "\"\\ud800\"", "nul",
    ])
    func rejectsMalformedText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func boundsNesting() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let error = #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        #expect(error?.message.contains("nested deeper") == true)
        #expect(throws: Never.self) { try JSONValue(parsing: String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) }
    }
}
