import QuantumVenue
import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct FormURLEncodingTests {
    @Test func encodesAllButUnreservedCharacters() {
        #expect(FormURLEncoding.encode("AZaz09-._~") == "AZaz09-._~")
        #expect(FormURLEncoding.encode("a b&c=d+e/f:€") == "a%20b%26c%3Dd%2Be%2Ff%3A%E2%82%AC")
        #expect(FormURLEncoding.encode([("a", "1"), ("b c", "2")]) == "a=1&b%20c=2")
    }

    @Test(arguments: ["", "plain", "a b&c=d+e/f:€", #"[{"symbol":"BTCUSDT"}]"#, "%41", "100%"])
    func decodeInvertsEncode(text: String) {
        #expect(FormURLEncoding.decode(FormURLEncoding.encode(text).utf8) == text)
    }

    @Test func splitsFieldsInWireOrder() {
        let fields = FormURLEncoding.fields(of: "b=2&a=1&a=3&=x&y".utf8)
        #expect(fields.map(\.name) == ["b", "a", "a", "", "y"])
        #expect(fields.map(\.value) == ["2", "1", "3", "x", ""])
    }
}
