@testable import QuantumSim
import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3))) struct SplitMix64DrawsTests {
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
