@testable import QuantumSim
import QuantumTestSupport
import Testing

@Suite struct SplitMix64Tests {
    @Test func isTheSameAlgorithmAsTheTestSupportGenerator() {
        var ours = SplitMix64(seed: 123)
        var theirs = SeededGenerator(seed: 123)
        #expect((0..<100).map { _ in ours.next() } == (0..<100).map { _ in theirs.next() })
    }

    @Test func streamsOfOneSeedDiffer() {
        var btc = SplitMix64(seed: 1, stream: "BTCUSDT")
        var eth = SplitMix64(seed: 1, stream: "ETHUSDT")
        var again = SplitMix64(seed: 1, stream: "BTCUSDT")
        let first = (0..<10).map { _ in btc.next() }
        #expect(first != (0..<10).map { _ in eth.next() })
        #expect(first == (0..<10).map { _ in again.next() })
    }

    @Test func distributionsHaveTheirMoments() {
        var random = SplitMix64(seed: 99)
        let count = 100_000
        let units = (0..<count).map { _ in random.unit() }
        #expect(units.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(units.reduce(0, +) / Double(count) - 0.5) < 0.01)
        let normals = (0..<count).map { _ in random.normal() }
        let mean = normals.reduce(0, +) / Double(count)
        let variance = normals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count)
        #expect(abs(mean) < 0.02 && abs(variance - 1) < 0.02)
        let waits = (0..<count).map { _ in random.exponential(mean: 5) }
        #expect(abs(waits.reduce(0, +) / Double(count) - 5) < 0.1)
    }
}
