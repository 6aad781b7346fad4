import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct MessageFuzzTests {
    /// Field names that matter to decoders, plus noise.
    static let names: [String] = Array(Set(MessageFixtures.all.flatMap { $0.encoded().keys })) + ["", "payload", "TYPE", "x"]

    /// Values that stress parsers: valid words, numbers at the edges, garbage.
    static let values: [String] = Array(Set(MessageFixtures.all.flatMap { $0.encoded().values })) + [
        "", " ", "-", ".", "0", "-0", "1e308", "nan", "inf", "-inf", "92233720368.54775808", "-92233720368.54775808",
        "9223372036854775807", "-9223372036854775808", "True", "false", "\u{0}", "币安人生USDT", String(repeating: "9", count: 300),
        "0.000000001", "apply.plan", "trade.intent", "1", "2", "OPEN_LONG", "FULL_CLOSE_PROPOSED", "venue_rejected:-1",
    ]

    @Test func randomFieldMapsNeverCrashTheDecoder() async throws {
        var rng = SeededGenerator(seed: 0xF0CC)
        var decoded = 0
        for i in 0..<100_000 {
            // A long loop gives way now and then: the test pool has two threads, and other tests have deadlines.
            if i % 1_000 == 0 { await Task.yield() }
            var fields: [String: String]
            if i % 2 == 0 {
                // Mutate a valid message: the interesting region is near-valid input.
                fields = MessageFixtures.all.randomElement(using: &rng)!.encoded()
                for _ in 0..<Int.random(in: 1...3, using: &rng) {
                    let name = fields.keys.randomElement(using: &rng)!
                    switch Int.random(in: 0..<3, using: &rng) {
                    case 0: fields[name] = nil
                    case 1: fields[name] = Self.values.randomElement(using: &rng)!
                    default: fields[Self.names.randomElement(using: &rng)!] = Self.values.randomElement(using: &rng)!
                    }
                }
            } else {
                fields = [:]
                for _ in 0..<Int.random(in: 0...20, using: &rng) {
                    fields[Self.names.randomElement(using: &rng)!] = Self.values.randomElement(using: &rng)!
                }
            }
            switch Result(catching: { () throws(MessageDecodingError) -> AnyMessage in try AnyMessage.decode(fields) }) {
            case .success(let message):
                // Whatever decodes must re-encode to something that decodes to the same value.
                #expect(try AnyMessage.decode(message.encoded()) == message)
                decoded += 1
            case .failure(let error):
                #expect(!error.field.isEmpty)
            }
        }
        #expect(decoded > 0)
    }
}
