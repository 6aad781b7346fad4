import QuantumServices
import Testing

/// Per-bar work: counted from the first bar the system caught up with; the bars before are warm-up.
@Suite("Bar work")
struct BarWorkTests {
    @Test("warm-up bars are counted apart; percentiles and give-ups come from the bars after")
    func warmUpThenFigures() throws {
        let work = BarWork()
        #expect(work.figures == nil)
        work.record(.seconds(2), caughtUp: false)
        work.record(.seconds(2), caughtUp: false)
        let warming = try #require(work.figures)
        #expect(warming.bars == 0 && warming.warmUp == 2)
        for milliseconds in 1...99 { work.record(.milliseconds(milliseconds), caughtUp: true) }
        work.record(.seconds(2), caughtUp: false)
        let figures = try #require(work.figures)
        #expect(figures.bars == 100)
        #expect(figures.warmUp == 2)
        #expect(figures.gaveUp == 1)
        #expect(figures.p50 == 50)
        #expect(figures.p99 == 99)
        #expect(figures.max == 2_000)
    }
}
