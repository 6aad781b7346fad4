import Logging
import QuantumBus
import QuantumCore
import ServiceLifecycle

/// The health-monitor service: follows every heartbeat and supervisor restart, judges each service every
/// `checkInterval`, and halts opens while the exit path is not healthy (invariant 11, FM-04/05/41).
///
/// It writes its verdicts to `quantum:health` (what the dashboard and `quantum doctor` show) and the
/// exit-path guard that the executor's risk guard reads. A service turning stale is an error-level
/// alert, a crash loop a critical one, and its recovery a notice: the seed's 17 silent hours become
/// three heartbeat intervals.
public struct HealthMonitorService: Service {
    public struct Configuration: Hashable, Sendable {
        public var monitor = HealthMonitor.Configuration()
        /// Services that must be up; a missing one counts as unhealthy.
        public var expected: [ServiceName]
        public var checkInterval: Duration = .seconds(1)
        public var heartbeatInterval: Duration = .seconds(1)

        public init(expected: [ServiceName]) {
            self.expected = expected
        }
    }

    public let log: any EventLog
    public let store: any StateStore
    public let clock: any EpochClock
    public let configuration: Configuration
    public let logger: Logger
    public let progress: ServiceProgress
    /// Opened by the first check that finds the exit path healthy on beats of this run (signal-bot waits for it).
    public var readiness: ExitPathReadiness?

    public init(log: any EventLog, store: any StateStore, clock: any EpochClock, configuration: Configuration, logger: Logger) {
        self.log = log
        self.store = store
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.progress = ServiceProgress(now: clock.now())
    }

    public func run() async throws {
        let bus = MessageBus(log: log)
        let heartbeat = HeartbeatEmitter(service: .healthMonitor, interval: configuration.heartbeatInterval, bus: bus, clock: clock,
                                         progress: progress, logger: logger)
        var monitor = HealthMonitor(configuration: configuration.monitor)
        // The groups first, then the history: a beat published in between is in one or the other, never lost (lost, a
        // service looked missing for one of its heartbeat intervals). What both hold is taken once, by entry id.
        for stream in [StreamName.heartbeat, StreamName.serviceEvent] {
            try await log.createGroup(stream, group: GroupName.healthMonitor, start: .tail)
        }
        // What happened before this run: the recent beats and restarts.
        let beatHistory = try await log.reverseRange(StreamName.heartbeat, from: .max, to: .zero, count: 2_000).reversed()
        for entry in beatHistory {
            if let beat = try? Heartbeat.decode(entry.fields) { monitor.record(beat) }
        }
        // Services restarted after a crash, until their first heartbeat after the restart (kept across the monitor's own restarts).
        var recovering: [ServiceName: EpochMillis] = [:]
        let eventHistory = try await log.reverseRange(StreamName.serviceEvent, from: .max, to: .zero, count: 500).reversed()
        for entry in eventHistory {
            Self.apply(event: entry.fields, to: &monitor)
            Self.track(event: entry.fields, recovering: &recovering)
        }
        var seen = [StreamName.heartbeat: beatHistory.last?.id ?? .zero, StreamName.serviceEvent: eventHistory.last?.id ?? .zero]
        progress.setStatus(.running)
        let startedAt = clock.now()
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await heartbeat.run() }
            var previous: [ServiceName: HealthMonitor.Verdict] = [:]
            while !Task.isCancelled, !Task.isShuttingDownGracefully {
                record(beats: try await read(StreamName.heartbeat, after: &seen), in: &monitor)
                for delivery in try await read(StreamName.serviceEvent, after: &seen) {
                    Self.apply(event: delivery.fields, to: &monitor)
                    if let service = Self.track(event: delivery.fields, recovering: &recovering) {
                        logger.error("service crashed and was restarted", metadata: [
                            "service": "\(service.rawValue)", "error": "\(delivery.fields["error"] ?? "")", "alert": "crash:\(service.rawValue)"])
                    }
                }
                previous = try await check(monitor, previous: previous, startedAt: startedAt)
                try await reportRecoveries(monitor, &recovering)
                progress.processed(at: clock.now())
                let waiting = Set(previous.filter { $0.value != .up && configuration.expected.contains($0.key) }.keys)
                do { try await awaitNextCheck(waitingFor: waiting, monitor: &monitor, seen: &seen) } catch { break }
            }
            group.cancelAll()
        }
    }

    /// Waits `checkInterval` (market time), or less: while a service is not up, a beat from it ends the wait at once.
    ///
    /// Only its own beat can make such a service up again, so the verdict (and the exit-path halt that follows it) is
    /// renewed when it comes, not up to an interval later. That keeps a start from refusing opens for want of a check:
    /// every service's first beat comes after the monitor's first check as often as not.
    private func awaitNextCheck(waitingFor waiting: Set<ServiceName>, monitor: inout HealthMonitor,
                                seen: inout [String: EntryID]) async throws {
        guard !waiting.isEmpty else {
            try await untilGracefulShutdown { try await clock.sleep(for: configuration.checkInterval) }
            return
        }
        let due = clock.now().advanced(by: configuration.checkInterval)
        while case let now = clock.now(), now < due, !Task.isShuttingDownGracefully {
            try Task.checkCancellation()
            // Woken by any beat (this process's appends at once, others' by the log's poll), or at the due time (the log's clock).
            let wait = due.duration(since: now)
            let delivered = try await untilGracefulShutdown { try await fetch(StreamName.heartbeat, wait: wait) }
            let beats = unseen(delivered, of: StreamName.heartbeat, after: &seen)
            record(beats: beats, in: &monitor)
            if beats.contains(where: { entry in entry.fields["service"].flatMap(ServiceName.init(rawValue:)).map(waiting.contains) ?? false }) {
                return
            }
        }
    }

    private func record(beats: [StreamEntry], in monitor: inout HealthMonitor) {
        for entry in beats {
            if let beat = try? Heartbeat.decode(entry.fields) { monitor.record(beat) }
        }
    }

    /// New entries of `stream` for this group past what the monitor has seen, acknowledged at once (they only update the
    /// monitor's view).
    private func read(_ stream: String, after seen: inout [String: EntryID]) async throws -> [StreamEntry] {
        unseen(try await fetch(stream, wait: nil), of: stream, after: &seen)
    }

    /// New entries of `stream` for this group (waiting up to `wait` for one), acknowledged at once.
    private func fetch(_ stream: String, wait: Duration?) async throws -> [StreamEntry] {
        let deliveries = try await log.readNew(stream, group: GroupName.healthMonitor, consumer: "health-monitor-1", count: 1_000, wait: wait)
        if !deliveries.isEmpty { _ = try await log.acknowledge(stream, group: GroupName.healthMonitor, ids: deliveries.map(\.entry.id)) }
        return deliveries.map(\.entry)
    }

    /// The entries past what the monitor has already taken from the stream's history.
    private func unseen(_ entries: [StreamEntry], of stream: String, after seen: inout [String: EntryID]) -> [StreamEntry] {
        let after = seen[stream] ?? .zero
        let fresh = entries.filter { $0.id > after }
        if let last = fresh.last { seen[stream] = last.id }
        return fresh
    }

    /// A supervisor's restart or clean stop, as the monitor counts it.
    public static func apply(event fields: [String: String], to monitor: inout HealthMonitor) {
        guard let service = fields["service"].flatMap(ServiceName.init(rawValue:)), let time = fields["ts"].flatMap(Int64.init) else { return }
        switch fields["kind"] {
        case "restart": monitor.recordRestart(service, at: EpochMillis(time))
        case "stopped": monitor.recordStop(service, at: EpochMillis(time))
        default: break
        }
    }

    /// Keeps the services awaiting their recovery: a restart adds one, its recovery or a clean stop removes it.
    /// Returns the service a restart event names.
    @discardableResult
    static func track(event fields: [String: String], recovering: inout [ServiceName: EpochMillis]) -> ServiceName? {
        guard let service = fields["service"].flatMap(ServiceName.init(rawValue:)) else { return nil }
        switch fields["kind"] {
        case "restart":
            guard let time = fields["ts"].flatMap(Int64.init) else { return nil }
            recovering[service] = EpochMillis(time)
            return service
        case "recovered", "stopped":
            recovering[service] = nil
        default:
            break
        }
        return nil
    }

    /// Judges every service, writes the verdicts and the exit-path guard, and alerts on each change.
    private func check(_ monitor: HealthMonitor, previous: [ServiceName: HealthMonitor.Verdict], startedAt: EpochMillis) async throws
        -> [ServiceName: HealthMonitor.Verdict] {
        let now = clock.now()
        let all = monitor.assessAll(expected: configuration.expected, at: now)
        defer { readiness?.judged(all) }
        var verdicts: [ServiceName: HealthMonitor.Verdict] = [:]
        var hash: [String: String] = [:]
        var exitPath: [String: String] = [:]
        for health in all where health.service != .healthMonitor {
            verdicts[health.service] = health.verdict
            hash[health.service.rawValue] = "\(health.verdict.rawValue);\(health.lastBeat?.createdAt.rawValue ?? 0);\(health.restartsTotal)"
            if HealthMonitor.exitPath.contains(health.service), configuration.expected.contains(health.service), health.verdict != .up {
                exitPath[health.service.rawValue] = health.verdict.rawValue
            }
            let before = previous[health.service]
            guard before != health.verdict else { continue }
            try await event(["kind": "health", "service": health.service.rawValue, "verdict": health.verdict.rawValue,
                             "was": before?.rawValue ?? "unknown", "restarts": String(health.restartsTotal)], at: now)
            var metadata: Logger.Metadata = ["service": "\(health.service.rawValue)", "verdict": "\(health.verdict.rawValue)",
                                             "restarts": "\(health.restartsTotal)"]
            metadata[health.verdict == .up ? "resolves" : "alert"] = "service:\(health.service.rawValue)"
            switch health.verdict {
            case .dead: logger.critical("service in a crash loop", metadata: metadata)
            case .stale where configuration.expected.contains(health.service): logger.error("service stale: no heartbeat for 3 intervals", metadata: metadata)
            case .missing where before != nil: logger.error("service missing", metadata: metadata)
            case .up where before != nil: logger.notice("service healthy again", metadata: metadata)
            default: break
            }
        }
        var mutations: [StateMutation] = [.delete(key: StateKey.health), .delete(key: StateKey.exitPathHalt)]
        if !hash.isEmpty { mutations.append(.setFields(key: StateKey.health, fields: hash)) }
        if !exitPath.isEmpty { mutations.append(.setFields(key: StateKey.exitPathHalt, fields: exitPath)) }
        try await store.update(mutations)
        let wasHalted = previous.contains { HealthMonitor.exitPath.contains($0.key) && configuration.expected.contains($0.key) && $0.value != .up }
        if !exitPath.isEmpty, !wasHalted || previous.isEmpty {
            let services = exitPath.keys.sorted().joined(separator: ",")
            // At start the exit path's services may simply not have beaten yet: opens wait, but that is no alert.
            let starting = now < startedAt.advanced(by: configuration.heartbeatInterval * configuration.monitor.staleAfterIntervals)
                && exitPath.values.allSatisfy { $0 == HealthMonitor.Verdict.missing.rawValue }
            if starting {
                logger.notice("waiting for the exit path to start: opens halted until it beats", metadata: ["services": "\(services)"])
            } else {
                logger.error("exit path unhealthy: opens halted", metadata: ["services": "\(services)", "alert": "exit_path"])
            }
            try await event(["kind": "exit_path", "halted": "true", "services": services], at: now)
        } else if exitPath.isEmpty, wasHalted {
            logger.notice("exit path healthy again: opens allowed", metadata: ["resolves": "exit_path"])
            try await event(["kind": "exit_path", "halted": "false", "services": ""], at: now)
        }
        return verdicts
    }

    /// A restarted service that beats again has recovered: the notice resolves its crash alert.
    private func reportRecoveries(_ monitor: HealthMonitor, _ recovering: inout [ServiceName: EpochMillis]) async throws {
        let now = clock.now()
        for (service, restartedAt) in recovering {
            let health = monitor.assess(service, at: now)
            guard health.verdict == .up, let beat = health.lastBeat, beat.createdAt > restartedAt else { continue }
            recovering[service] = nil
            logger.notice("service recovered after its restart", metadata: ["service": "\(service.rawValue)", "resolves": "crash:\(service.rawValue)"])
            try await event(["kind": "recovered", "service": service.rawValue, "restarts": String(health.restartsTotal)], at: now)
        }
    }

    /// A health event on `service.event` (the dashboard, the doctor and tests follow them).
    private func event(_ fields: [String: String], at now: EpochMillis) async throws {
        var all = fields
        all["type"] = "service.event"
        all["v"] = currentSchemaVersion
        all["ts"] = String(now.rawValue)
        try await MessageBus(log: log).publish(fields: all, to: StreamName.serviceEvent)
    }
}
