import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// Random histories of one plan against a venue that accepts, rejects, refuses, times out, loses replies, lands
/// requests late, fills later, and a process that is killed before or after any step: never two fills for one
/// plan, never a result that the venue contradicts, exactly one result, never a filled open without its stop.
@Suite(.timeLimit(.minutes(3))) struct PlanExecutionPropertyTests {
    /// Runs `count` seeded histories from `first`; returns the failures (seed, violations, the trace's end).
    static func histories(_ count: Int, from first: UInt64 = 1, weather: ExecutionWorld.Weather = .init()) -> [String] {
        var failures: [String] = []
        for seed in first..<(first + UInt64(count)) {
            var world = ExecutionWorld(seed: seed, weather: weather)
            let ended = world.run()
            if !ended { world.violations.append("the plan never ended") }
            if !world.violations.isEmpty {
                failures.append("seed \(seed) (\(world.plan.planID), \(world.crashes) crashes): \(world.violations.joined(separator: "; "))\n  "
                                + world.trace.suffix(12).map(\.description).joined(separator: "\n  "))
            }
        }
        return failures
    }

    @Test func tenThousandRandomHistoriesKeepEveryInvariant() async {
        let failures = await OffPool.run { Self.histories(10_000) }
        let broken = failures.count
        #expect(broken == 0, "\(broken) histories broke an invariant; the first:\n\(failures.first ?? "")")
    }

    @Test func historiesWithoutCrashesOrQueryFailuresKeepEveryInvariantToo() async {
        var calm = ExecutionWorld.Weather()
        calm.crashPerMille = 0
        calm.queryFailurePerMille = 0
        let weather = calm
        let failures = await OffPool.run { Self.histories(2_000, from: 50_001, weather: weather) }
        let broken = failures.count
        #expect(broken == 0, "\(failures.first ?? "")")
    }

    /// The checker finds the bug it is there for: with absence judged before the request's recvWindow has closed (the
    /// fix switched off), some history resends while the first request can still land, and two orders fill.
    @Test func withTheAbsenceWindowShorterThanTheRecvWindowTheHistoriesFindADoubleFill() async {
        var careless = ExecutionWorld.Weather()
        careless.execution.absenceWindow = .milliseconds(500)
        let weather = careless
        let failures = await OffPool.run { Self.histories(3_000, from: 90_001, weather: weather) }
        let doubleFills = failures.filter { $0.contains("duplicate_order") }.count
        #expect(doubleFills > 0)
    }
}
