import Foundation
import QuantumCore

/// What a soak runs: how long, on which symbols and market, with which faults at which rates.
public struct SoakConfiguration: Sendable {
    /// Simulated time each seed runs (faults stop for the last `settle` of it, so every plan can end).
    public var duration: Duration = .seconds(86_400)
    public var settle: Duration = .seconds(600)
    public var symbols: [Symbol] = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT"].map { Symbol(rawValue: $0)! }
    /// Time between two ticks of a symbol in the synthetic market (marks, trades, stop triggers move at this pace).
    public var tick: Duration = .seconds(1)
    /// Flash moves per symbol and simulated day in the synthetic market: one-tick jumps of 10–30 σ through any stop.
    public var flashMovesPerDay = 4.0
    /// Replayed klines instead of the seeded synthetic market.
    public var data: URL?
    /// The fault kinds to inject.
    public var faults: Set<SoakFault> = Set(SoakFault.allCases)
    /// How many faults an hour, drawn from the seed.
    public var faultsPerHour = 24.0
    /// How often the invariants are checked against the exchange.
    public var checkEvery: Duration = .seconds(5)
    /// A position without its stop longer than this is a violation.
    public var unprotectedLimit: Duration = .seconds(3)
    /// Where the full trace of a seed with a violation is written (nil: not written).
    public var traceDirectory: URL?
    /// Test-only changes to the system under test, to show the soak finds the bugs they reintroduce.
    public var seams = SoakSeams()

    public init() {}
}

/// What a test changes around the system (never inside it) to show that the soak finds a bug: each puts back one
/// defect of the order-path review, through the configuration, the venue the system talks to, or its store.
public struct SoakSeams: Hashable, Sendable {
    /// The executor's absence window: one shorter than the recvWindow resends while a request can still land.
    public var absenceWindow: Duration?
    /// The venue tells the executor "rejected" where the truth is "unknown" (408, 5xx, a lost reply): it opens again.
    public var unknownOutcomesAsRejections = false
    /// The store forgets which user-stream fills were applied: a fill delivered twice is applied twice.
    public var forgetAppliedFills = false
    /// The store forgets the executor's journal: after a crash, an order in flight is not known to have been sent.
    public var forgetJournal = false

    public init() {}
}
