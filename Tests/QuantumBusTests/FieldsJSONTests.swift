import Foundation
@testable import QuantumBus
import Testing

/// The SQLite log's hand-written JSON of entry fields: the same text Foundation reads, and it reads Foundation's.
@Suite("Entry fields JSON")
struct FieldsJSONTests {
    /// Strings with every kind of character JSON escapes, multi-byte text and emoji.
    static func randomString(_ generator: inout SystemRandomNumberGenerator) -> String {
        let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "é", "€", "𝄞", "🙂", "{", "}", ":", ","]
        return String((0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
    }

    @Test("round trip through our coder and through Foundation's, both ways, on random fields")
    func roundTrips() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var fields: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...6, using: &generator) {
                fields[Self.randomString(&generator)] = Self.randomString(&generator)
            }
            let ours = FieldsJSON.encode(fields)
            #expect(FieldsJSON.decode(ours) == fields, "\(ours)")
            #expect(try JSONDecoder().decode([String: String].self, from: Data(ours.utf8)) == fields, "\(ours)")
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            let foundations = String(decoding: try encoder.encode(fields), as: UTF8.self)
            #expect(FieldsJSON.decode(foundations) == fields, "\(foundations)")
        }
    }

    @Test("escapes Foundation writes and other valid JSON are read; anything else is nil")
    func edgeCases() {
        #expect(FieldsJSON.decode(#"{"a\/b":"\u00e9\ud83d\ude42"}"#) == ["a/b": "é🙂"])
        #expect(FieldsJSON.decode(#" { "k" : "v" , "n" : "" } "#) == ["k": "v", "n": ""])
        #expect(FieldsJSON.decode("{}") == [:])
        for bad in ["", "[]", "{", #"{"a":1}"#, #"{"a":"b"}x"#, #"{"a" "b"}"#, "{\"a\":\"\u{1}\"}", #"{"a":"\x"}"#, "null"] {
            #expect(FieldsJSON.decode(bad) == nil, "\(bad)")
        }
    }
}
