import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import Testing

/// Invariant 11: a stopped service is seen within three heartbeat intervals, a crash loop is a dead service,
/// and an unhealthy exit path halts opens until it recovers.
@Suite(.timeLimit(.minutes(3))) struct HealthMonitorTests {
    static let t0 = EpochMillis(1_750_000_000_000)

    static func beat(_ service: ServiceName, at time: EpochMillis, status: ServiceStatus = .running) -> Heartbeat {
        Heartbeat(service: service, instance: "test", status: status, processed: 1, lag: 0, lastProgress: time, interval: .seconds(1), createdAt: time)
    }

    @Test func staleAfterThreeIntervalsMissingWhenNeverSeenDeadInACrashLoop() {
        var monitor = HealthMonitor()
        monitor.record(Self.beat(.applyLayer, at: Self.t0))
        #expect(monitor.assess(.applyLayer, at: Self.t0.advanced(by: .seconds(3))).verdict == .up)
        #expect(monitor.assess(.applyLayer, at: Self.t0.advanced(by: .milliseconds(3_001))).verdict == .stale)
        #expect(monitor.assess(.exitBrain, at: Self.t0).verdict == .missing)
        // An older beat arriving late does not make a service look older than it is.
        monitor.record(Self.beat(.applyLayer, at: Self.t0.advanced(by: .seconds(10))))
        monitor.record(Self.beat(.applyLayer, at: Self.t0))
        #expect(monitor.assess(.applyLayer, at: Self.t0.advanced(by: .seconds(11))).verdict == .up)
        for second in 0..<5 { monitor.recordRestart(.harvest, at: Self.t0.advanced(by: .seconds(Int64(second)))) }
        monitor.record(Self.beat(.harvest, at: Self.t0.advanced(by: .seconds(5))))
        let harvest = monitor.assess(.harvest, at: Self.t0.advanced(by: .seconds(6)))
        #expect(harvest.verdict == .dead)
        #expect(harvest.restartsTotal == 5)
        // The loop is over once the restarts leave the window.
        monitor.record(Self.beat(.harvest, at: Self.t0.advanced(by: .seconds(400))))
        #expect(monitor.assess(.harvest, at: Self.t0.advanced(by: .seconds(400))).verdict == .up)
    }

    /// A monitor of apply-layer and exit-brain on a manual clock, started after `beatsBefore` have beaten.
    struct Monitored {
        let clock: ManualEpochClock
        let store: InMemoryStateStore
        let bus: MessageBus
        let events: StreamWatcher
        let task: Task<Void, any Error>
    }

    static func startMonitor(checkInterval: Duration, beatsBefore: [ServiceName] = []) async throws -> Monitored {
        let clock = ManualEpochClock(Self.t0)
        let log = InMemoryEventLog(clock: clock)
        let store = InMemoryStateStore(clock: clock)
        let bus = MessageBus(log: log)
        let events = try await StreamWatcher.start(log, StreamName.serviceEvent)
        for service in beatsBefore { try await bus.publish(Self.beat(service, at: clock.now()), to: StreamName.heartbeat) }
        var configuration = HealthMonitorService.Configuration(expected: [.applyLayer, .exitBrain])
        configuration.checkInterval = checkInterval
        let service = HealthMonitorService(log: log, store: store, clock: clock, configuration: configuration, logger: VenueFixture.quietLogger)
        return Monitored(clock: clock, store: store, bus: bus, events: events, task: Task { try await service.run() })
    }

    @Test func aStaleExitPathHaltsOpensUntilItBeatsAgain() async throws {
        let m = try await Self.startMonitor(checkInterval: .milliseconds(500), beatsBefore: [.applyLayer, .exitBrain])
        let (clock, store, bus, events) = (m.clock, m.store, m.bus, m.events)
        defer { m.task.cancel() }
        #expect(try await events.next { $0["kind"] == "health" && $0["service"] == "exit-brain" }["verdict"] == "up")
        #expect(try await store.fields(StateKey.exitPathHalt).isEmpty)

        // exit-brain stops beating; apply-layer goes on.
        for _ in 0..<8 {
            _ = await clock.sleeper(dueBy: clock.now().advanced(by: .milliseconds(500)))
            clock.advance(by: .milliseconds(500))
            try await bus.publish(Self.beat(.applyLayer, at: clock.now()), to: StreamName.heartbeat)
        }
        let stale = try await events.next { $0["kind"] == "health" && $0["service"] == "exit-brain" }
        #expect(stale["verdict"] == "stale")
        _ = try await events.next { $0["kind"] == "exit_path" && $0["halted"] == "true" }
        #expect(try await store.fields(StateKey.exitPathHalt) == ["exit-brain": "stale"])
        #expect(try await store.fields(StateKey.health)["apply-layer"]?.hasPrefix("up;") == true)

        // It comes back: the halt is lifted.
        try await bus.publish(Self.beat(.exitBrain, at: clock.now()), to: StreamName.heartbeat)
        _ = await clock.sleeper(dueBy: clock.now().advanced(by: .milliseconds(500)))
        clock.advance(by: .milliseconds(500))
        _ = try await events.next { $0["kind"] == "exit_path" && $0["halted"] == "false" }
        #expect(try await store.fields(StateKey.exitPathHalt).isEmpty)
    }

    /// At a start the exit path's first beats race the monitor's first check. A missing service's first beat is judged at
    /// once, not a check interval later: with a paced replay's stretched interval (or its held clock) that interval was
    /// minutes of market time in which every open was refused.
    @Test func aMissingServiceIsJudgedUpTheMomentItFirstBeatsWithoutTheClockMoving() async throws {
        let m = try await Self.startMonitor(checkInterval: .seconds(1_000))
        let (clock, store, bus, events) = (m.clock, m.store, m.bus, m.events)
        defer { m.task.cancel() }
        _ = try await events.next { $0["kind"] == "exit_path" && $0["halted"] == "true" }
        for service in [ServiceName.applyLayer, .exitBrain] { try await bus.publish(Self.beat(service, at: clock.now()), to: StreamName.heartbeat) }
        _ = try await events.next { $0["kind"] == "exit_path" && $0["halted"] == "false" }
        #expect(clock.now() == Self.t0)
        #expect(try await store.fields(StateKey.exitPathHalt).isEmpty)
        #expect(try await store.fields(StateKey.health)["exit-brain"]?.hasPrefix("up;") == true)
    }

    /// Signal-bot's first bar waits for this: every watched exit-path service judged up, on a beat of this run.
    @Test func theExitPathIsReadyOnlyOnHealthyVerdictsOfThisRun() async throws {
        let readiness = ExitPathReadiness(services: [.applyLayer, .exitBrain], since: Self.t0)
        let waiter = Task { try await readiness.awaitHealthy() }
        func health(_ service: ServiceName, _ verdict: HealthMonitor.Verdict, beat: EpochMillis?) -> HealthMonitor.ServiceHealth {
            HealthMonitor.ServiceHealth(service: service, verdict: verdict, lastBeat: beat.map { Self.beat(service, at: $0) },
                                        restartsInWindow: 0, restartsTotal: 0)
        }
        readiness.judged([health(.applyLayer, .up, beat: Self.t0), health(.exitBrain, .missing, beat: nil)])
        #expect(!readiness.isOpen, "exit-brain missing")
        readiness.judged([health(.applyLayer, .up, beat: Self.t0), health(.exitBrain, .up, beat: EpochMillis(Self.t0.rawValue - 1))])
        #expect(!readiness.isOpen, "exit-brain's last beat is a previous run's")
        readiness.judged([health(.applyLayer, .up, beat: Self.t0), health(.exitBrain, .up, beat: Self.t0), health(.harvest, .stale, beat: nil)])
        #expect(readiness.isOpen, "harvest is not watched here")
        try await waiter.value
        // Once open it stays open: a restarted signal-bot is not held again.
        readiness.judged([health(.exitBrain, .stale, beat: Self.t0)])
        try await readiness.awaitHealthy()
        // A waiter that is cancelled returns.
        let closed = ExitPathReadiness(services: [.exitBrain], since: Self.t0)
        let cancelled = Task { try await closed.awaitHealthy() }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
    }

    @Test func opensAreRefusedWhileTheExitPathIsUnhealthyAndExitsStillRun() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let results = try await StreamWatcher.start(f.log, StreamName.result)
        try await f.startExecutor()
        try await ProtectiveStopTests.open(f, results)
        try await f.store.setFields(StateKey.exitPathHalt, ["exit-brain": "stale"])
        let open = try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000")
        try await f.send(open)
        #expect(try await results.result(open.planID).reason == .exitPathUnhealthy)
        let close = f.closePlan()
        try await f.send(close)
        #expect(try await results.result(close.planID).executed)
    }
}
