import QuantumBacktest
import Testing

@Suite(.timeLimit(.minutes(3)))
struct ProgressLineTests {
    @Test func theLineShowsBarsRateAndETA() {
        let line = ProgressLine.render(done: 100_000, total: 200_000, elapsed: 0.05, width: 10)
        #expect(line == "[█████·····] 100,000/200,000 bars  2.0M bars/s  ETA 0.1s")
        #expect(ProgressLine.render(done: 0, total: 0, elapsed: 0, width: 4) == "[████] 0/0 bars  0.0 bars/s  ETA 0.0s")
        #expect(ProgressLine.duration(185) == "3m05s" && ProgressLine.compact(26_000) == "26.0k")
    }
}
