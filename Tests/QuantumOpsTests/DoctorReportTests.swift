import Foundation
import QuantumBus
import QuantumCore
@testable import QuantumOps
import QuantumServices
import QuantumTestSupport
import Testing

/// The doctor's scorecard and exit code on a healthy state and on each injected fault.
@Suite(.timeLimit(.minutes(3))) struct DoctorReportTests {
    static let services: [ServiceName] = [.applyLayer, .protectionMonitor, .exitBrain, .harvest, .intentBridge, .healthMonitor, .marketState, .signalBot]

    /// A state where every service beat at the clock's time (wall clock: now), with a little trading history.
    struct State {
        let clock = ManualEpochClock()
        let log: InMemoryEventLog
        let store: InMemoryStateStore
        let wallNow = SystemEpochClock().now()

        init() async throws {
            log = InMemoryEventLog(clock: clock)
            store = InMemoryStateStore(clock: clock)
            try await beat(DoctorReportTests.services)
            for (action, decision) in [("OPEN_LONG", "EXECUTED"), ("FULL_CLOSE_PROPOSED", "EXECUTED"), ("OPEN_SHORT", "REJECTED")] {
                let id = "\(action)-1"
                _ = try await log.append(StreamName.plan, fields: ["plan_id": id, "action": action, "symbol": "BTCUSDT", "source": "test"])
                _ = try await log.append(StreamName.result, fields: ["plan_id": id, "action": action, "decision": decision,
                                                                     "executed": String(decision == "EXECUTED"), "error": decision == "REJECTED" ? "max_positions" : ""])
            }
        }

        /// Heartbeats of `services` now, each promising a 1 s interval.
        func beat(_ services: [ServiceName], wall: EpochMillis? = nil) async throws {
            let bus = MessageBus(log: log)
            for service in services {
                let beat = Heartbeat(service: service, instance: "test", status: .running, processed: 1, lag: 0, lastProgress: clock.now(),
                                     interval: .seconds(1), createdAt: clock.now(), wallClock: wall ?? wallNow)
                _ = try await bus.publish(beat, to: StreamName.heartbeat)
            }
        }

        func event(_ fields: [String: String]) async throws {
            var all = fields
            all["ts"] = String(clock.now().rawValue)
            _ = try await log.append(StreamName.serviceEvent, fields: all)
        }

        func report() async throws -> DoctorReport {
            DoctorReport(snapshot: try await SnapshotReader(log: log, store: store).read(), wallNow: wallNow)
        }
    }

    static func finding(_ report: DoctorReport, _ check: String) -> DoctorReport.Finding? {
        report.findings.first { $0.check == check }
    }

    @Test func FM19_anOpenPauseIsShownWithWhenItLiftsAndAnEndedOneIsNot() async throws {
        let state = try await State()
        let lifts = state.clock.now().advanced(by: .seconds(4 * 3_600))
        try await state.store.setFields(StateKey.openPauses, OpenPauses.field(.consecutiveLosses, until: lifts)
            .merging(OpenPauses.field(.marginRefusals, until: state.clock.now().advanced(by: .seconds(-1)))) { $1 })
        let report = try await state.report()
        let finding = try #require(Self.finding(report, "open pauses"))
        #expect(finding.severity == .warning)
        #expect(finding.detail == "consecutive_losses until \(DoctorReport.iso(lifts)) (lifts by itself)")
        #expect(report.snapshot.dashboardJSON(description: "test", equityCurve: []).contains("\"open_pauses\": {\"consecutive_losses\": \(lifts.rawValue)}"))
        #expect(report.exitCode == 0)
    }

    @Test func FM19_churnPausesAndDriftHaltsAreShownWithWhenTheyLift() async throws {
        let state = try await State()
        let lifts = state.clock.now().advanced(by: .seconds(300))
        try await state.store.setFields(StateKey.churnPauses, ["ETHUSDT": String(lifts.rawValue)])
        try await state.store.setFields(StateKey.symbolHalt(Symbol(rawValue: "BTCUSDT")!), [
            "reason": "quantity_mismatch", "since": String(state.clock.now().rawValue), "until": String(lifts.rawValue)])
        var report = try await state.report()
        #expect(Self.finding(report, "churn pauses")?.detail == "ETHUSDT until \(DoctorReport.iso(lifts)) (lifts by itself)")
        let truth = try #require(Self.finding(report, "position truth"))
        #expect(truth.severity == .warning && truth.detail.contains("BTCUSDT until \(DoctorReport.iso(lifts))"), "\(truth.detail)")
        #expect(report.snapshot.dashboardJSON(description: "test", equityCurve: []).contains("\"churn_pauses\": {\"ETHUSDT\": \(lifts.rawValue)}"))
        // A halt set by hand has no end: it needs a person.
        try await state.store.setFields(StateKey.symbolHalt(Symbol(rawValue: "SOLUSDT")!), ["reason": "operator"])
        report = try await state.report()
        #expect(Self.finding(report, "position truth")?.severity == .critical)
    }

    @Test func aHealthyRunningSystemScoresNoFaultAndExitsZero() async throws {
        let report = try await State().report()
        #expect(report.exitCode == 0, "\(report.text)")
        #expect(report.findings.allSatisfy { $0.severity <= .info }, "\(report.text)")
        #expect(Self.finding(report, "system")?.detail.hasPrefix("running") == true)
        #expect(Self.finding(report, "plan results")?.detail == "2 executed, 1 not (max_positions 1)")
        #expect(report.text.contains("verdict: HEALTHY"))
    }

    @Test func aDeadExecutorIsCriticalAndItsUnexecutedExitsAreTheSeedsDeadExitPath() async throws {
        let state = try await State()
        // The apply-layer stops beating; everything else goes on for ten seconds and proposes closes nobody executes.
        for _ in 0..<10 {
            state.clock.advance(by: .seconds(1))
            try await state.beat(Self.services.filter { $0 != .applyLayer && $0 != .protectionMonitor })
        }
        for epoch in 2...4 {
            _ = try await state.log.append(StreamName.plan, fields: ["plan_id": "close-\(epoch)", "action": "FULL_CLOSE_PROPOSED", "symbol": "BTCUSDT"])
        }
        let report = try await state.report()
        #expect(report.exitCode == 2)
        #expect(Self.finding(report, "service apply-layer")?.severity == .critical)
        #expect(Self.finding(report, "service apply-layer")?.detail.hasPrefix("stale") == true)
        #expect(Self.finding(report, "service exit-brain")?.severity == .ok)
        #expect(Self.finding(report, "exit execution")?.detail == "1 of 4 exit plans executed, 0 exits in all")
        #expect(report.text.contains("❌ service apply-layer"))
        #expect(report.json.contains("\"healthy\": false, \"exit_code\": 2"))
    }

    @Test func noExitExecutedOfSeveralIsCritical() async throws {
        let state = try await State()
        let store = InMemoryStateStore(clock: state.clock)
        let log = InMemoryEventLog(clock: state.clock)
        for epoch in 1...3 {
            _ = try await log.append(StreamName.plan, fields: ["plan_id": "close-\(epoch)", "action": "FULL_CLOSE_PROPOSED", "symbol": "BTCUSDT"])
        }
        let report = DoctorReport(snapshot: try await SnapshotReader(log: log, store: store).read(), wallNow: state.wallNow)
        #expect(Self.finding(report, "exit execution") == .init(check: "exit execution", severity: .critical, detail: "DEAD: 3 exit plans, none executed"))
        #expect(report.exitCode == 2)
    }

    @Test func aCrashLoopIsCritical() async throws {
        let state = try await State()
        for _ in 0..<5 { try await state.event(["kind": "restart", "service": "harvest", "error": "boom"]) }
        let report = try await state.report()
        #expect(Self.finding(report, "service harvest")?.severity == .critical)
        #expect(Self.finding(report, "service harvest")?.detail.hasPrefix("dead") == true)
        #expect(report.exitCode == 2)
    }

    @Test func anUnprotectedPositionIsCritical() async throws {
        let state = try await State()
        try await state.store.setFields(StateKey.unprotected, ["ETHUSDT": String(state.clock.now().rawValue)])
        let report = try await state.report()
        #expect(Self.finding(report, "protective stops") == .init(check: "protective stops", severity: .critical, detail: "UNPROTECTED: ETHUSDT; every open is halted until each has its stop again (the monitor repairs it, or closes the position, every second)"))
        #expect(report.exitCode == 2)
    }

    @Test func driftThatStillHaltsASymbolIsCriticalAndPastDriftAWarning() async throws {
        let state = try await State()
        _ = try await state.log.append(StreamName.reconcile, fields: ["kind": "position_vanished", "symbol": "BTCUSDT"])
        _ = try await state.log.append(StreamName.reconcile, fields: ["kind": "external_close", "symbol": "ETHUSDT"])
        try await state.store.setFields(StateKey.symbolHalt(Symbol(rawValue: "BTCUSDT")!), ["reason": "position_vanished"])
        let halted = try await state.report()
        #expect(Self.finding(halted, "position truth")?.severity == .critical)
        #expect(Self.finding(halted, "position truth")?.detail == "0 open, 1 drift event against the exchange; opens halted on BTCUSDT until `quantum resume --symbol BTCUSDT`")
        #expect(halted.exitCode == 2)
        // The operator resumed the symbol: the drift stays on record as a warning.
        try await KillSwitch(store: state.store).resume(symbols: [Symbol(rawValue: "BTCUSDT")!])
        let resumed = try await state.report()
        #expect(Self.finding(resumed, "position truth")?.severity == .warning)
        #expect(resumed.exitCode == 0)
    }

    @Test func lagIsAWarningThenCritical() async throws {
        let state = try await State()
        try await state.log.createGroup(StreamName.plan, group: GroupName.applyLayer, start: .tail)
        for i in 0..<150 { _ = try await state.log.append(StreamName.plan, fields: ["plan_id": "p\(i)", "action": "OPEN_LONG"]) }
        let some = try await state.report()
        #expect(Self.finding(some, "consumer lag")?.severity == .warning)
        #expect(Self.finding(some, "consumer lag")?.detail == "apply-layer on quantum:stream:apply.plan: 150 waiting, 0 pending")
        #expect(some.exitCode == 0)
        for i in 150..<1_100 { _ = try await state.log.append(StreamName.plan, fields: ["plan_id": "p\(i)", "action": "OPEN_LONG"]) }
        let piled = try await state.report()
        #expect(Self.finding(piled, "consumer lag")?.severity == .critical)
        #expect(piled.exitCode == 2)
    }

    @Test func aProcessGoneWithoutACleanStopIsCriticalAndACleanStopIsNot() async throws {
        let gone = try await State()
        try await gone.beat(Self.services, wall: gone.wallNow.advanced(by: .seconds(-60)))
        let log = InMemoryEventLog(clock: gone.clock)
        let store = InMemoryStateStore(clock: gone.clock)
        let bus = MessageBus(log: log)
        for service in Self.services {
            _ = try await bus.publish(Heartbeat(service: service, instance: "t", status: .running, processed: 1, lag: 0, lastProgress: gone.clock.now(),
                                                interval: .seconds(1), createdAt: gone.clock.now(), wallClock: gone.wallNow.advanced(by: .seconds(-60))),
                                      to: StreamName.heartbeat)
        }
        let down = DoctorReport(snapshot: try await SnapshotReader(log: log, store: store).read(), wallNow: gone.wallNow)
        #expect(Self.finding(down, "system")?.severity == .critical)
        #expect(Self.finding(down, "system")?.detail.hasPrefix("DOWN") == true)
        #expect(down.exitCode == 2)

        for service in Self.services { _ = try await log.append(StreamName.serviceEvent, fields: ["kind": "stopped", "service": service.rawValue,
                                                                                                     "ts": String(gone.clock.now().rawValue)]) }
        let stopped = DoctorReport(snapshot: try await SnapshotReader(log: log, store: store).read(), wallNow: gone.wallNow)
        #expect(Self.finding(stopped, "system")?.detail == "stopped cleanly (every service reported its stop)")
        #expect(stopped.findings.filter { $0.check.hasPrefix("service ") }.allSatisfy { $0.detail.hasPrefix("stopped") && $0.severity == .ok })
        #expect(stopped.exitCode == 0)
    }

    @Test func theKillSwitchIsReportedAndAnExitPathHaltOfARunningSystemIsCritical() async throws {
        let state = try await State()
        try await KillSwitch(store: state.store).halt(reason: "maintenance", at: state.clock.now())
        try await state.store.setFields(StateKey.exitPathHalt, ["exit-brain": "stale"])
        let report = try await state.report()
        #expect(Self.finding(report, "kill switch") == .init(check: "kill switch", severity: .warning, detail: "ACTIVE (opens halted): maintenance"))
        #expect(Self.finding(report, "exit-path guard")?.severity == .critical)
        #expect(report.exitCode == 2)
    }
}
