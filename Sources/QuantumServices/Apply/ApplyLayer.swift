import Synchronization
import Logging
import QuantumBus
import QuantumCore
import QuantumVenue
import ServiceLifecycle

/// The apply-layer service: the single executor of every plan and the single writer of positions.
///
/// A run starts like DESIGN.md §5 says: load the journal and positions, finish every unfinished
/// plan against the venue, take back plans the previous run had been delivered, reconcile
/// positions, and only then read new plans. Beside the plan loop it follows the user stream
/// (fills we did not send), reads the account, reconciles every `reconcileInterval` and beats.
public struct ApplyLayer: Service {
    public let venue: any Venue
    public let log: any EventLog
    public let store: any StateStore
    public let clock: any EpochClock
    public let configuration: ApplyLayerConfiguration
    public let logger: Logger
    public let progress: ServiceProgress
    /// The protection monitor's progress (its heartbeat's counters): one processed item per completed check.
    public let protectionProgress: ServiceProgress
    /// What the executor does at its crash points (nothing, in operation).
    let crashPoints: CrashPoints
    /// Symbols whose fills and positions this executor follows.
    public let symbols: [Symbol]

    public init(venue: any Venue, log: any EventLog, store: any StateStore, clock: any EpochClock, symbols: [Symbol],
                configuration: ApplyLayerConfiguration = ApplyLayerConfiguration(), logger: Logger, crashPoints: CrashPoints = .none) {
        self.venue = venue
        self.log = log
        self.store = store
        self.clock = clock
        self.symbols = symbols
        self.configuration = configuration
        self.logger = logger
        self.progress = ServiceProgress(now: clock.now())
        self.protectionProgress = ServiceProgress(now: clock.now())
        self.crashPoints = crashPoints
    }

    public func run() async throws {
        let bus = MessageBus(log: log)
        let heartbeat = HeartbeatEmitter(service: .applyLayer, interval: configuration.heartbeatInterval, bus: bus, clock: clock,
                                         progress: progress, logger: logger)
        progress.setStatus(.starting)
        await heartbeat.beat()
        let rules: [Symbol: SymbolRules]
        do { rules = try await venue.symbolRules() } catch {
            throw ExecutorError(.venueUnavailable, "exchangeInfo unreadable at start: \(error)")
        }
        let executor = Executor(venue: venue, store: store, bus: bus, clock: clock, configuration: configuration, rules: rules,
                                logger: logger, progress: progress, crashPoints: crashPoints)
        try await executor.book.load(logger: logger)
        try await executor.limits.load(at: clock.now())
        // The churn breaker counts in memory: a restart starts it afresh, so no pause of the last run is shown as held.
        _ = try await store.delete(StateKey.churnPauses)
        try await refreshAccount(executor)
        let consumer = TypedConsumer<Plan>(log: log, stream: StreamName.plan, group: GroupName.applyLayer, consumer: configuration.consumerName)
        try await consumer.prepare()

        // 1. Journal first: every plan that was claimed and not finished.
        for entry in try await executor.journal.unfinished() {
            do {
                try await executor.locks.withLock(entry.plan.symbol) { try await executor.resume(entry) }
            } catch let error as ExecutorError where error.code == .journalCorrupt {
                // A journal entry that cannot be carried on must not stop every other plan: it stays for an operator.
                logger.critical("unfinished plan cannot be resumed; left in the journal", metadata: ["plan": "\(entry.plan.planID)", "error": "\(error)"])
            }
        }
        // 2. Plans delivered to the previous run and never acknowledged.
        for item in try await consumer.reclaim() {
            try await executor.handle(item.message, entryID: item.id)
            try await consumer.acknowledge(item.id)
        }
        // 3. Positions against the exchange.
        try await executor.reconcile()
        progress.setStatus(.running)
        let held = await executor.book.all.count
        logger.info("apply-layer running", metadata: ["positions": "\(held)"])

        let inFlight = PlansInFlight()
        try await runParts(beforeStop: { await self.drain(consumer, inFlight) }) { group in
            group.addTask { await heartbeat.run() }
            group.addTask { try await self.consume(consumer, executor, inFlight) }
            group.addTask { await self.everyInterval(self.configuration.accountInterval) { try await self.refreshAccount(executor) } }
            group.addTask { await self.everyInterval(self.configuration.reconcileInterval) { try await executor.reconcile() } }
            group.addTask { try await self.followUserStream(executor) }
            group.addTask { await self.monitorProtection(executor, bus: bus) }
            group.addTask { await self.watchExitDeadlines(executor) }
        }
    }

    /// Reads plans and hands each to its symbol's lane: plans of one symbol run in stream order, one at a time; the
    /// lanes of different symbols run side by side, and reading goes on while they work, so a close never waits behind
    /// a slow open of another symbol (a held order can take the whole request timeout).
    private func consume(_ consumer: TypedConsumer<Plan>, _ executor: Executor, _ inFlight: PlansInFlight) async throws {
        try await withThrowingDiscardingTaskGroup { group in
            var lanes: [Symbol: AsyncStream<TypedConsumer<Plan>.Item>.Continuation] = [:]
            defer { for lane in lanes.values { lane.finish() } }
            func dispatch(_ item: TypedConsumer<Plan>.Item) {
                inFlight.insert(item.id)
                let symbol = item.message.symbol
                if let lane = lanes[symbol] {
                    lane.yield(item)
                    return
                }
                let (items, lane) = AsyncStream.makeStream(of: TypedConsumer<Plan>.Item.self)
                lanes[symbol] = lane
                lane.yield(item)
                group.addTask {
                    for await item in items {
                        try await executor.handle(item.message, entryID: item.id)
                        try await consumer.acknowledge(item.id)
                        inFlight.remove(item.id)
                    }
                }
            }
            while !Task.isCancelled {
                let batch: [TypedConsumer<Plan>.Item]
                do {
                    batch = try await consumer.next(count: configuration.batchSize, wait: .seconds(1))
                } catch is CancellationError {
                    return
                }
                if batch.isEmpty {
                    progress.setLag(try? await consumer.lag())
                    if inFlight.isEmpty { progress.idle(at: clock.now()) }
                    // Plans a dead peer was delivered and never finished are taken over once idle long enough (never
                    // one of ours still waiting in its lane).
                    for item in try await consumer.reclaim(staleAfter: .seconds(60), inHand: inFlight.ids) { dispatch(item) }
                    continue
                }
                for item in batch { dispatch(item) }
                // After the dispatch: the lag is a round trip, and the plans in hand must not wait for it.
                progress.setLag(try? await consumer.lag())
            }
        }
    }

    /// Waits, at most `shutdownDrain` on the service's clock, until every plan on the stream has been read and every
    /// plan in hand has its result: the reading and the lanes go on meanwhile. Woken by the lanes, not by polling.
    private func drain(_ consumer: TypedConsumer<Plan>, _ inFlight: PlansInFlight) async {
        let drained = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    let (empty, generation) = inFlight.snapshot
                    // Pending counts plans read and not yet handed to a lane: read, then dispatched after an await.
                    if empty, ((try? await consumer.lag()) ?? 0) == 0, await Self.ownPending(consumer) == 0 { return true }
                    // Plans left on the stream are read by the plan loop (its read wakes on appends and every second).
                    await inFlight.change(after: generation, orWithin: .seconds(1), clock: self.clock)
                }
                return false
            }
            group.addTask {
                try? await self.clock.sleep(for: self.configuration.shutdownDrain)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !drained {
            logger.warning("plans still in hand at shutdown; the next start resumes them", metadata: ["in_hand": "\(inFlight.ids.count)"])
        }
    }

    /// Plans delivered to this consumer and not acknowledged (a peer's are its own to finish).
    private static func ownPending(_ consumer: TypedConsumer<Plan>) async -> Int {
        let pending = try? await consumer.log.pending(consumer.stream, group: consumer.group)
        return pending?.filter { $0.consumer == consumer.consumer }.count ?? 0
    }

    private func refreshAccount(_ executor: Executor) async throws {
        do {
            let account = try await venue.account()
            try await executor.limits.observe(account, at: clock.now())
        } catch let error as VenueError {
            // Equity goes stale and opens stop by themselves (the risk guard); exits carry on.
            logger.warning("account unreadable", metadata: ["error": "\(error)"])
        }
    }

    private func followUserStream(_ executor: Executor) async throws {
        try await venue.runUserStream(symbols: symbols) { event in
            do {
                switch event {
                case .order(let update):
                    try await executor.externalFill(update)
                case .resynced(let snapshot):
                    try await executor.reconcile(snapshot: snapshot.positions)
                    // Every (re)connect is visible to operators; tests await it to know fills now arrive by the stream.
                    try await executor.bus.publish(fields: BusEvent(.reconcile, at: self.clock.now(), [
                        "symbol": "",
                        "kind": "user_stream_resynced", "positions": String(snapshot.positions.count), "halted": "false",
                    ]).fields, to: StreamName.reconcile)
                case .account, .algo:
                    break
                }
            } catch {
                self.logger.error("user-stream event not applied; reconciliation will catch up", metadata: ["error": "\(error)"])
            }
        }
    }

    /// The protection monitor's loop, with its own heartbeat: the exit path's health includes it.
    private func monitorProtection(_ executor: Executor, bus: MessageBus) async {
        let progress = protectionProgress
        progress.setStatus(.running)
        let logger = self.logger.with(service: .protectionMonitor)
        let heartbeat = HeartbeatEmitter(service: .protectionMonitor, interval: configuration.heartbeatInterval, bus: bus, clock: clock,
                                         progress: progress, logger: logger)
        let monitor = ProtectionMonitor(executor: executor, logger: logger)
        await withDiscardingTaskGroup { group in
            group.addTask { await heartbeat.run() }
            group.addTask {
                await self.everyInterval(self.configuration.protectionInterval) {
                    try await monitor.check()
                    progress.processed(at: self.clock.now())
                }
            }
        }
    }

    /// Every exit plan past its deadline is an alert and a count, once, the moment it is late (invariant 10).
    private func watchExitDeadlines(_ executor: Executor) async {
        await everyInterval(configuration.exitDeadline / 20) { try await executor.reportOverdueExits() }
    }

    private func everyInterval(_ interval: Duration, _ work: @escaping @Sendable () async throws -> Void) async {
        while !Task.isCancelled {
            do { try await clock.sleep(for: interval) } catch { return }
            do { try await work() } catch {
                logger.error("periodic work failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
