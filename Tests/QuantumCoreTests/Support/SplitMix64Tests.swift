import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct SplitMix64Tests {
    @Test func matchesTheReferenceSequence() {
        // Vigna's SplitMix64 from seed 1 234 567 (computed independently).
        var random = SplitMix64(seed: 1_234_567)
        #expect((0..<3).map { _ in random.next() } == [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423])
    }

    @Test func streamsOfOneSeedDiffer() {
        var btc = SplitMix64(seed: 1, stream: "BTCUSDT")
        var eth = SplitMix64(seed: 1, stream: "ETHUSDT")
        var again = SplitMix64(seed: 1, stream: "BTCUSDT")
        let first = (0..<10).map { _ in btc.next() }
        #expect(first != (0..<10).map { _ in eth.next() })
        #expect(first == (0..<10).map { _ in again.next() })
    }
}
