import QuantumCore
import QuantumServices
@testable import QuantumSoak
import Testing

/// The soak on every run: a few seeds of a few simulated hours with every fault, and the soak shown to find three of
/// the order-path review's defects when their fix is taken away from outside the system.
///
/// A run inside the test process is not bit-for-bit repeatable: without `SWIFT_DETERMINISTIC_HASHING` every dictionary
/// seeds its hashing from its own address. So each seam runs several seeds and asks that the defect be found, and
/// "the same seed gives the same trace" is shown across two `quantum soak` processes (`SoakCommandTests`).
@Suite(.serialized, .timeLimit(.minutes(3))) struct SoakTests {
    static func configuration(hours: Int, symbols: Int, faults: Set<SoakFault> = Set(SoakFault.allCases), perHour: Double = 30) -> SoakConfiguration {
        var configuration = SoakConfiguration()
        configuration.duration = .seconds(Int64(hours) * 3_600)
        configuration.settle = .seconds(600)
        configuration.symbols = Array(configuration.symbols.prefix(symbols))
        configuration.faults = faults
        configuration.faultsPerHour = perHour
        return configuration
    }

    static func describe(_ outcome: SoakOutcome) -> String {
        let broken = outcome.violations.filter { $0.value > 0 }.map { "\($0.key.rawValue) \($0.value)" }.sorted()
        var text = "seed \(outcome.seed): \(broken.joined(separator: ", ")) \(outcome.failure ?? "")"
        if let first = outcome.firstViolation { text += "\nfirst: \(first.invariant.rawValue) at \(first.time): \(first.detail)" }
        return text + "\n" + outcome.excerpt.joined(separator: "\n")
    }

    @Test func aShortSoakUnderEveryFaultKeepsEveryInvariant() async {
        let configuration = Self.configuration(hours: 3, symbols: 3)
        async let first = SoakRun.run(seed: 11, configuration: configuration)
        async let second = SoakRun.run(seed: 12, configuration: configuration)
        for outcome in await [first, second] {
            #expect(!outcome.violated, "\(Self.describe(outcome))")
            #expect(outcome.escapedJobs == 0)
            #expect(outcome.faultsInjected.values.reduce(0, +) > 30)
        }
    }

    /// Defect 2 with its fix taken away: absence "proven" before the request's recvWindow has closed. Requests that
    /// reach the matching engine late are sent again and fill twice.
    @Test func withoutTheAbsenceWindowTheSoakFindsDuplicateOrders() async {
        var configuration = Self.configuration(hours: 3, symbols: 3, faults: [.lateExecution], perHour: 120)
        configuration.seams.absenceWindow = .milliseconds(200)
        let outcomes = await Self.run(seeds: [21, 26], configuration)
        let found = outcomes.map { $0.violations[.duplicateOrder] ?? 0 }.reduce(0, +)
        #expect(found > 0, "\(outcomes.map(Self.describe).joined(separator: "\n"))")
    }

    /// Defect 4 with its fix taken away: an unknown outcome (a lost reply, a 502 after execution) taken for a
    /// rejection. The open did fill; the next attempt opens on top of it.
    @Test func takingUnknownOutcomesForRejectionsTheSoakFindsStackedPositions() async {
        var configuration = Self.configuration(hours: 3, symbols: 3, faults: [.replyLostAfterExecution, .unknownAfterExecution], perHour: 120)
        configuration.seams.unknownOutcomesAsRejections = true
        let outcomes = await Self.run(seeds: [22, 27], configuration)
        let found = outcomes.map { ($0.violations[.stackedPosition] ?? 0) + ($0.violations[.unprotectedBeyondPeriod] ?? 0) }.reduce(0, +)
        #expect(found > 0, "\(outcomes.map(Self.describe).joined(separator: "\n"))")
    }

    /// Defect 9 with its fix taken away: a user-stream fill delivered twice is applied twice. A manual half-close
    /// counted twice flattens the store's position: its stop is cancelled while the exchange still holds half.
    @Test func applyingDuplicatedFillsTwiceTheSoakFindsAnUnprotectedPosition() async {
        var configuration = Self.configuration(hours: 4, symbols: 3, faults: [.userEventsDuplicated, .manualTrade], perHour: 120)
        configuration.seams.forgetAppliedFills = true
        let outcomes = await Self.run(seeds: [23, 24, 25], configuration)
        let found = outcomes.map { ($0.violations[.unprotectedBeyondPeriod] ?? 0) + ($0.violations[.positionDrift] ?? 0) }.reduce(0, +)
        #expect(found > 0, "\(outcomes.map(Self.describe).joined(separator: "\n"))")
    }

    /// Every seed at once (each run is one thread; the machine's cores share them).
    static func run(seeds: [UInt64], _ configuration: SoakConfiguration) async -> [SoakOutcome] {
        await withTaskGroup(of: SoakOutcome.self) { group in
            for seed in seeds { group.addTask { await SoakRun.run(seed: seed, configuration: configuration) } }
            return await group.reduce(into: []) { $0.append($1) }.sorted { $0.seed < $1.seed }
        }
    }
}

/// The process killed and restarted from its durable state, at drawn instants and at each of the executor's crash
/// points: nothing sent twice, no result lost or doubled, no position left without its stop.
@Suite(.serialized, .timeLimit(.minutes(3))) struct SoakCrashTests {
    @Test func killedAnywhereAndAtEveryOrderStepTheRestartSendsNothingTwice() async {
        let configuration = SoakTests.configuration(hours: 3, symbols: 3, faults: [.crashAtOrderStep, .processCrash], perHour: 60)
        let outcomes = await SoakTests.run(seeds: [31, 32], configuration)
        for outcome in outcomes {
            #expect(!outcome.violated, "\(SoakTests.describe(outcome))")
            #expect(outcome.escapedJobs == 0)
            #expect(outcome.trades > 0)
        }
        let trace = outcomes.flatMap(\.trace)
        for point in CrashPoint.allCases {
            #expect(trace.contains { $0.hasSuffix("process crashed at \(point.rawValue)") }, "never crashed at \(point.rawValue)")
        }
        #expect(trace.filter { $0.hasSuffix("process killed") }.count > 10)
        #expect(trace.filter { $0.contains("process restarted") }.count > 10)
    }

    /// The journal is what a restart knows of orders in flight: without it, the crashes above send plans again.
    @Test func withoutTheJournalTheCrashesFindPlansExecutedTwice() async {
        var configuration = SoakTests.configuration(hours: 3, symbols: 3, faults: [.crashAtOrderStep, .processCrash], perHour: 60)
        configuration.seams.forgetJournal = true
        let outcomes = await SoakTests.run(seeds: [31, 32], configuration)
        let found = outcomes.map { ($0.violations[.planWithoutOneResult] ?? 0) + ($0.violations[.duplicateOrder] ?? 0) }.reduce(0, +)
        #expect(found > 0, "\(outcomes.map(SoakTests.describe).joined(separator: "\n"))")
    }
}
