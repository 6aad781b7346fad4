import QuantumCore
import QuantumExchange
@testable import QuantumServices
import QuantumTestSupport
import QuantumVenue
import Testing

/// The protection monitor: a missing stop is repaired, a breached one closes the position while opens are
/// halted, and orphan stops are cancelled. The monitor's interval is driven on the manual clock.
@Suite(.timeLimit(.minutes(3))) struct ProtectionMonitorTests {
    static let interval: Duration = .milliseconds(100)

    static func start() async throws -> (PipelineFixture, StreamWatcher, StreamWatcher) {
        let (f, results, events, _) = try await startWithExecutor()
        return (f, results, events)
    }

    static func startWithExecutor() async throws -> (PipelineFixture, StreamWatcher, StreamWatcher, ApplyLayer) {
        let f = try await PipelineFixture.start { $0.protectionInterval = interval }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        let events = try await StreamWatcher.start(f.log, StreamName.reconcile)
        let executor = try await f.startExecutor()
        return (f, results, events, executor)
    }

    /// Lets one monitor interval pass: waits until the monitor sleeps (the only sleeper that short), then advances.
    static func tick(_ f: PipelineFixture) async {
        _ = await f.clock.sleeper(dueBy: f.clock.now().advanced(by: interval))
        f.clock.advance(by: interval)
    }

    static func stopID(_ level: String) -> ClientOrderID {
        Executor.stopID(PipelineFixture.btc, PositionEpoch(rawValue: 1)!, Price(level)!)
    }

    @Test func aMissingStopIsRepairedAndCounted() async throws {
        let (f, results, events) = try await Self.start()
        defer { Task { await f.stop() } }
        try await ProtectiveStopTests.open(f, results)
        _ = try await f.venue.venue.cancelConditional(Self.stopID("98000"))
        #expect(try await ProtectiveStopTests.liveStops(f).isEmpty)
        await Self.tick(f)
        #expect(try await events.next { $0["kind"] == "stop_missing" }["symbol"] == "BTCUSDT")
        _ = try await events.next { $0["kind"] == "stop_repaired" }
        _ = try await events.next { $0["kind"] == "stop_restored" }
        #expect(try await ProtectiveStopTests.liveStops(f).map(\.clientAlgoID) == [Self.stopID("98000").rawValue])
        #expect(try await f.stat(.stopsRepaired) == 1)
        #expect(try await f.store.fields(StateKey.unprotected).isEmpty)
    }

    @Test func aBreachedStopClosesThePositionAndOpensWaitUntilItIsGone() async throws {
        let (f, results, events) = try await Self.start()
        defer { Task { await f.stop() } }
        try await ProtectiveStopTests.open(f, results)
        _ = try await f.venue.venue.cancelConditional(Self.stopID("98000"))
        // With no stop on the exchange, the price falls through the level: the venue would refuse a stop there now.
        try await f.freshMarket(PipelineFixture.btc, "97500")
        await Self.tick(f)
        _ = try await events.next { $0["kind"] == "stop_breached" }
        #expect(try await f.store.fields(StateKey.unprotected).keys.contains("BTCUSDT"))

        // Opens anywhere are refused while a position is unprotected.
        let eth = try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000")
        try await f.send(eth)
        let refused = try await results.result(eth.planID)
        #expect(refused.reason == .unprotectedPosition)

        // The executor's own close of the epoch runs like any exit (its result may come before or after the refusal).
        let all = try await StreamWatcher.start(f.log, StreamName.result, fromStart: true)
        let closed = try await all.result(PlanIdentity.close(PipelineFixture.btc, PositionEpoch(rawValue: 1)!).planID)
        #expect(closed.decision == .executed)
        #expect(try await f.exchangePosition() == .zero)
        await Self.tick(f)
        _ = try await events.next { $0["kind"] == "stop_restored" }
        #expect(try await f.store.fields(StateKey.unprotected).isEmpty)
        #expect(try await f.stat(.unprotectedMillis) > 0)
        #expect(try await f.store.get(StateKey.exitsByReason("stop_loss")) == "1")
    }

    /// A stop that fired moments ago, whose fill the user stream has not delivered, is not a position without a stop:
    /// the monitor settles it from the exchange. (Judged unprotected, every open was halted for an interval and a stop
    /// was placed again for a position the exchange had closed: 9 opens refused in a week's replay at full speed.)
    @Test func aStopThatFiredBeforeItsFillReachedUsIsSettledNotReportedUnprotected() async throws {
        let (f, results, events) = try await Self.start()
        defer { Task { await f.stop() } }
        try await ProtectiveStopTests.open(f, results)
        await f.venue.faults { $0.droppedUserEvents = 100 }
        try await f.venue.tick(PipelineFixture.btc, "97900")
        #expect(try await f.exchangePosition() == .zero)
        #expect(try await f.position() != nil, "the fill has not reached the executor")
        await Self.tick(f)
        let closed = try await events.next { $0["kind"] == "external_close" }
        #expect(closed["cause"] == "protective_stop")
        #expect(try await f.position() == nil)
        await Self.tick(f)
        let all = try await f.log.range(StreamName.reconcile, from: .zero, to: .max, count: 1_000).compactMap { $0.fields["kind"] }
        #expect(!all.contains("stop_missing") && !all.contains("stop_repaired"), "\(all)")
        #expect(try await f.store.fields(StateKey.unprotected).isEmpty)
        #expect(try await f.stat(.stopsRepaired) == 0)
        #expect(try await f.store.get(StateKey.exitsByReason("stop_loss")) == "1")
    }

    @Test func anOrphanStopAndAnExtraStopAreCancelled() async throws {
        let (f, results, events) = try await Self.start()
        defer { Task { await f.stop() } }
        try await ProtectiveStopTests.open(f, results)
        // A second stop on the held symbol, and one of ours on a symbol we hold nothing in.
        let extra = ConditionalOrderRequest.protectiveStop(symbol: PipelineFixture.btc, direction: .long, triggerPrice: Price("97000")!,
                                                          clientAlgoID: Self.stopID("97000"))
        let orphanID = Executor.stopID(PipelineFixture.eth, PositionEpoch(rawValue: 1)!, Price("2900")!)
        let orphan = ConditionalOrderRequest.protectiveStop(symbol: PipelineFixture.eth, direction: .long, triggerPrice: Price("2900")!,
                                                           clientAlgoID: orphanID)
        for request in [extra, orphan] {
            guard case .placed = await f.venue.venue.submitConditional(request).outcome else { Issue.record("setup stop not placed"); return }
        }
        await Self.tick(f)
        _ = try await events.next { $0["kind"] == "stop_extra_cancelled" }
        _ = try await events.next { $0["kind"] == "stop_orphan_cancelled" && $0["symbol"] == "ETHUSDT" }
        #expect(try await ProtectiveStopTests.liveStops(f).map(\.clientAlgoID) == [Self.stopID("98000").rawValue])
        #expect(try await ProtectiveStopTests.liveStops(f, PipelineFixture.eth).isEmpty)
    }

    /// Defect 6: the monitor asks per held symbol (weight 1) and sweeps for orphans (weight 40) once in a while, so
    /// thirty checks cost little of the minute's 2400 (before: 40 a check, 2400 a minute at one check a second).
    ///
    /// Thirty completed checks by the monitor's own count (an interval can pass while it waits for a busy symbol lock),
    /// and the weight of its own requests in the exchange's log: its listings (40 without a symbol) and stop queries. The
    /// key's whole budget also carries the open's fee lookups and other periodic reads, which fell in the window or not
    /// depending on timing (107 and 147 seen beside other suites).
    @Test func Fault_theMonitorSpendsLittleOfTheRateLimitBudget() async throws {
        let (f, results, _, executor) = try await Self.startWithExecutor()
        defer { Task { await f.stop() } }
        try await ProtectiveStopTests.open(f, results)
        // A check in flight finishes first, so the window holds whole checks only.
        var checks = executor.protectionProgress.processedCount
        var ticks = 0
        while executor.protectionProgress.processedCount == checks, ticks < 100 {
            await Self.tick(f)
            ticks += 1
        }
        checks = executor.protectionProgress.processedCount
        let logged = await f.venue.host.requestLog.count
        while executor.protectionProgress.processedCount < checks + 30, ticks < 1_000 {
            await Self.tick(f)
            ticks += 1
        }
        let done = executor.protectionProgress.processedCount - checks
        let requests = await f.venue.host.requestLog.dropFirst(logged)
        let listings = requests.filter { $0.path == "/fapi/v1/openAlgoOrders" }
        let spent = listings.reduce(0) { $0 + ($1.symbol == nil ? 40 : 1) } + requests.filter { $0.path == "/fapi/v1/algoOrder" && $0.method == "GET" }.count
        #expect(done == 30, "\(done) checks in \(ticks) intervals")
        // The checks in the log, by their own listing of the one held symbol: a check the last tick started may already
        // have asked (the clock can run an interval ahead of a check in progress), and it may be the next sweep's.
        let checksLogged = max(30, listings.filter { $0.symbol != nil }.count)
        let sweeps = (checksLogged + 29) / 30
        #expect(spent <= 2 * checksLogged + 40 * sweeps,
                "the monitor spent \(spent) weight in \(checksLogged) checks: \(requests.map { "\($0.method) \($0.path) \($0.symbol ?? "-")" })")
    }

    /// Defect 10: BTCUSDT's lock is held by a close whose reply is slow; ETHUSDT's missing stop is still repaired
    /// at the next check, before BTCUSDT's close ends (before: the monitor waited its turn behind BTCUSDT).
    @Test func Fault_aSymbolWhoseLockIsBusyDoesNotStallTheMonitorForTheOthers() async throws {
        let (f, results, events) = try await Self.start()
        defer { Task { await f.stop() } }
        try await ProtectiveStopTests.open(f, results)
        let eth = try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000")
        try await f.send(eth)
        #expect(try await results.result(eth.planID).executed)
        let ethStop = try #require(try await ProtectiveStopTests.liveStops(f, PipelineFixture.eth).first)
        _ = try await f.venue.venue.cancelConditional(try #require(ClientOrderID(rawValue: ethStop.clientAlgoID)))
        // The close's reply takes an hour: the executor holds BTCUSDT's lock until its request times out.
        await f.venue.faults { $0.delayedPlacements = 1; $0.placementDelay = .seconds(3_600) }
        let close = f.closePlan()
        try await f.send(close)
        while await f.host.requestLog.last(where: { $0.clientOrderID == close.clientOrderID.rawValue }) == nil { await Task.yield() }
        await Self.tick(f)
        _ = try await events.next { $0["kind"] == "stop_repaired" && $0["symbol"] == "ETHUSDT" }
        #expect(try await f.results(for: close.planID).isEmpty, "the monitor waited for BTCUSDT's close")
        #expect(try await ProtectiveStopTests.liveStops(f, PipelineFixture.eth).count == 1)
    }
}
