import Logging
import QuantumBus
import QuantumCore
import QuantumVenue

/// The one executor of plans (DESIGN.md §5): claim, gate, journal, submit, confirm, apply, publish.
///
/// Built afresh by every run of `ApplyLayer` from what the store holds, so a restart (or a
/// supervisor's restart) starts exactly like a new process. Every symbol's work runs under its
/// lock; a plan's result is recorded atomically with its position change before it is published.
final class Executor: Sendable {
    let venue: any Venue
    let store: any StateStore
    let bus: MessageBus
    let journal: PlanJournal
    let book: PositionBook
    let limits: ExecutionLimits
    let locks = KeyedMutex<Symbol>()
    let deadlines = ExitDeadlines()
    let exitRetries = ExitRetryBackoff()
    let clock: any EpochClock
    let configuration: ApplyLayerConfiguration
    let rules: [Symbol: SymbolRules]
    let logger: Logger
    let progress: ServiceProgress
    let crashPoints: CrashPoints

    init(venue: any Venue, store: any StateStore, bus: MessageBus, clock: any EpochClock, configuration: ApplyLayerConfiguration,
         rules: [Symbol: SymbolRules], logger: Logger, progress: ServiceProgress, crashPoints: CrashPoints = .none) {
        self.venue = venue
        self.store = store
        self.bus = bus
        self.journal = PlanJournal(store: store, owner: configuration.consumerName)
        self.book = PositionBook(store: store)
        self.limits = ExecutionLimits(store: store, risk: configuration.risk)
        self.clock = clock
        self.configuration = configuration
        self.rules = rules
        self.logger = logger
        self.progress = progress
        self.crashPoints = crashPoints
    }

    // MARK: - Plans

    /// Executes one delivered plan under its symbol's lock.
    func handle(_ plan: Plan, entryID: EntryID) async throws {
        let deadline = plan.createdAt.advanced(by: configuration.exitDeadline)
        try await locks.withLock(plan.symbol) {
            // An open's guards are read with its claim, in the same round trip.
            let guardKeys = plan.action.isOpen ? Self.openReadingKeys(plan.symbol) : []
            switch try await self.journal.claim(plan, entryID: entryID, thenReading: guardKeys) {
            case .claimed(let readings):
                if plan.isReduceOnly { await self.deadlines.begin(plan.planID, deadline: deadline) }
                try await self.decide(plan, readings: guardKeys.isEmpty ? nil : readings)
            case .existing(let entry) where entry.entryID == entryID.description:
                // The same stream entry again (a restart reclaimed it): carry on where it stopped.
                try await self.resume(entry)
            case .existing(let entry):
                try await self.answerDuplicate(plan, entryID: entryID, original: entry)
            }
        }
        // Its result (if any) has been published and judged against the deadline; a repeat delivery ends here without one.
        // A plan that threw is not over: it is resumed, and the watcher reports it if it runs late.
        if plan.isReduceOnly { await deadlines.forget(plan.planID) }
        progress.processed(at: clock.now())
    }

    /// Continues a journaled plan from its recorded state (caller holds the symbol's lock). An exit is judged against
    /// its deadline from its creation, resumed or not.
    func resume(_ entry: PlanJournal.Entry) async throws {
        let plan = entry.plan
        if plan.isReduceOnly, entry.state != .terminal {
            await deadlines.begin(plan.planID, deadline: plan.createdAt.advanced(by: configuration.exitDeadline))
        }
        switch entry.state {
        case .claimed:
            try await decide(plan)
        case .submitting:
            guard entry.order != nil else {
                throw ExecutorError(.journalCorrupt, "plan \(plan.planID) is submitting without a journaled order")
            }
            try await execute(plan, .resumed(entry))
        case .terminal:
            guard entry.result != nil else {
                throw ExecutorError(.journalCorrupt, "plan \(plan.planID) is terminal without a result")
            }
            try await execute(plan, .resumed(entry))
        }
    }

    /// Step 3 onwards for a freshly claimed plan; `readings`, when given, are the open's guard keys read at its claim.
    func decide(_ plan: Plan, readings: StateSnapshot? = nil) async throws {
        if case .moveStop(_, let newStop, _) = plan.order {
            if clock.now() >= plan.expiresAt { return try await finish(plan, .expired, .planExpired) }
            return try await decideMoveStop(plan, newStop: newStop)
        }
        try await execute(plan, .claimed(readings))
    }

    private func answerDuplicate(_ plan: Plan, entryID: EntryID, original: PlanJournal.Entry) async throws {
        guard try await journal.latchDuplicate(plan.planID, entryID: entryID) else { return }
        let result = ApplyResult(planID: plan.planID, symbol: plan.symbol, action: plan.action, decision: .duplicate,
                                 reason: .duplicatePlan, createdAt: clock.now())
        try await store.update([.increment(key: StateKey.stat(.duplicatesPrevented), by: 1)])
        try await bus.publish(result, to: StreamName.result)
        logger.info("duplicate plan answered", metadata: ["plan": "\(plan.planID)", "original_state": "\(original.state.rawValue)"])
    }

    // MARK: - Exit deadlines

    /// An exit plan's handling ended: a late end not yet reported is an alert and a count.
    private func endExit(_ planID: String) async throws {
        guard await deadlines.end(planID, at: clock.now()) else { return }
        try await missedDeadline(planID)
    }

    /// Alerts and counts every exit plan that is past its deadline right now.
    func reportOverdueExits() async throws {
        for late in await deadlines.overdue(at: clock.now()) { try await missedDeadline(late.planID) }
    }

    private func missedDeadline(_ planID: String) async throws {
        logger.error("exit plan missed its deadline", metadata: ["plan": "\(planID)", "alert": "exit_deadline:\(planID)", "deadline": "\(configuration.exitDeadline)"])
        try await store.update([.increment(key: StateKey.stat(.exitDeadlineMisses), by: 1)])
    }

    // MARK: - Results

    /// Ends a plan without execution: result recorded, then published.
    func finish(_ plan: Plan, _ decision: ResultDecision, _ reason: DecisionReason) async throws {
        try await publish(try await record(plan, decision, reason))
    }

    /// Records a plan's end without execution (journal terminal) and returns its result. An open's end opens its next
    /// attempt; an exit's (other than a duplicate) opens the decision's next attempt, after a backoff.
    func record(_ plan: Plan, _ decision: ResultDecision, _ reason: DecisionReason) async throws -> ApplyResult {
        let result = ApplyResult(planID: plan.planID, symbol: plan.symbol, action: plan.action, decision: decision, reason: reason,
                                 createdAt: clock.now())
        var mutations = journal.terminal(result)
        if plan.action.isOpen {
            mutations.append(.increment(key: StateKey.openAttempt(plan.symbol, plan.epoch), by: 1))
        } else if decision != .duplicate {
            // Nothing of this exit filled: the decision may be tried again, under the next attempt's id.
            mutations += Self.nextExitAttempt(plan)
            await exitRetries.failed(PlanIdentity.decisionID(ofPlanID: plan.planID), at: clock.now())
        }
        try await store.update(mutations)
        logger.info("plan ended", metadata: ["plan": "\(plan.planID)", "decision": "\(decision.rawValue)", "reason": "\(reason.word)"])
        return result
    }

    /// Publishes a recorded result and takes the plan out of the unfinished index; an exit's lateness is counted first.
    func publish(_ result: ApplyResult) async throws {
        if result.action.isReduceOnly { try await endExit(result.planID) }
        await crashPoints.reached(.beforePublish)
        try await bus.publish(result, to: StreamName.result)
        try await journal.published(result.planID)
    }

    /// After a restart: publishes a recorded result unless the stream already has it (a crash after publishing).
    func publishOnce(_ result: ApplyResult) async throws {
        let recent = try await bus.log.reverseRange(StreamName.result, from: .max, to: .zero, count: 10_000)
        if recent.contains(where: { $0.fields["plan_id"] == result.planID && $0.fields["decision"] == result.decision.rawValue }) {
            try await journal.published(result.planID)
        } else {
            try await publish(result)
        }
    }

    /// The mutations that open the next attempt at an exit plan's decision.
    static func nextExitAttempt(_ plan: Plan) -> [StateMutation] {
        [.increment(key: StateKey.exitAttempt(PlanIdentity.decisionID(ofPlanID: plan.planID)), by: 1),
         .increment(key: StateKey.stat(.exitRetries), by: 1)]
    }

    /// The attempt the next plan of an exit decision is made under.
    func exitAttempt(_ decision: PlanIdentity) async throws -> Int {
        try await store.get(StateKey.exitAttempt(decision.planID)).flatMap(Int.init) ?? 0
    }

    // MARK: - Closes and the account

    /// Commits `record` as `symbol`'s position (with `extra`), and when the epoch closed with `closedNet`, the account's
    /// change in the same commit, so a crash cannot keep the one without the other; a loss pause it starts is an alert.
    func commitPosition(_ symbol: Symbol, record: PositionRecord?, epoch: PositionEpoch? = nil, extra: [StateMutation],
                        closedNet: Notional?) async throws {
        guard let closedNet else {
            return try await book.commit(symbol, record: record, epoch: epoch, extra: extra)
        }
        let book = self.book
        let (_, pausedUntil) = try await limits.recordClose(net: closedNet, at: clock.now()) { accountChange in
            try await book.commit(symbol, record: record, epoch: epoch, extra: extra + accountChange)
        }
        if let until = pausedUntil {
            logger.error("opens paused after \(configuration.risk.maxConsecutiveLosses) losing closes in a row", metadata: [
                "alert": "open_pause:consecutive_losses", "until": "\(until)", "cool_down": "\(configuration.risk.lossPauseCoolDown)"])
        }
    }

    // MARK: - Churn

    /// Symbols the churn breaker pauses now; a pause that starts is an alert and is written with when it lifts, one
    /// that ended is taken out, so operators see every pause with its end.
    private func churnPauses(at now: EpochMillis) async throws -> Set<Symbol> {
        let change = await limits.churnPauses(at: now, limit: configuration.churnLimit, window: configuration.churnWindow)
        var mutations: [StateMutation] = []
        if !change.started.isEmpty {
            mutations.append(.setFields(key: StateKey.churnPauses, fields: Dictionary(uniqueKeysWithValues: change.started.map {
                ($0.key.rawValue, String($0.value.rawValue)) })))
        }
        if !change.ended.isEmpty { mutations.append(.removeFields(key: StateKey.churnPauses, fields: change.ended.map(\.rawValue))) }
        if !mutations.isEmpty { try await store.update(mutations) }
        for (symbol, until) in change.started.sorted(by: { $0.key < $1.key }) {
            logger.error("churn breaker: opens of \(symbol) paused", metadata: [
                "alert": "churn:\(symbol)", "symbol": "\(symbol)", "until": "\(until)", "limit": "\(configuration.churnLimit) in \(configuration.churnWindow)"])
        }
        for symbol in change.ended.sorted() {
            logger.notice("churn pause lifted", metadata: ["symbol": "\(symbol)", "resolves": "churn:\(symbol)"])
        }
        return Set(change.paused.keys)
    }

    // MARK: - Shared reads

    /// The keys an open is judged by: the in-flight index and every guard.
    static func openReadingKeys(_ symbol: Symbol) -> [String] {
        [StateKey.inFlight, StateKey.killSwitch, StateKey.symbolHalt(symbol), StateKey.marketState(symbol), StateKey.unprotected,
         StateKey.exitPathHalt, StateKey.openPauses]
    }

    /// The guards of the risk guard and the unfinished opens per symbol, read fresh for every open (the one kill switch
    /// is read on every order, FM-43), in one snapshot: one round trip on a networked store, and an open waits for it.
    /// `readings` are those keys read at the plan's claim, used instead when given.
    ///
    /// A guard key that cannot be read (another type written there, FM-14) fails closed: halted.
    func openReadings(for symbol: Symbol, now: EpochMillis, readings: StateSnapshot? = nil) async throws
        -> (guards: RiskGuard.Guards, unfinished: [Symbol: Int]) {
        let keys = Self.openReadingKeys(symbol)
        let snapshot: StateSnapshot
        if let readings, readings.keys.isSuperset(of: keys) { snapshot = readings } else { snapshot = try await store.snapshot(keys) }
        let unfinished = PlanJournal.inFlightOpens(try snapshot.fields(StateKey.inFlight))
        let kill = try? snapshot.fields(StateKey.killSwitch)
        let halt = try? snapshot.fields(StateKey.symbolHalt(symbol))
        let market = try? snapshot.fields(StateKey.marketState(symbol))
        let unprotected = try? snapshot.fields(StateKey.unprotected)
        let exitPath = try? snapshot.fields(StateKey.exitPathHalt)
        let pauses = try? snapshot.fields(StateKey.openPauses)
        if kill == nil || halt == nil || unprotected == nil || exitPath == nil || pauses == nil {
            logger.error("a guard key is unreadable; opens are halted", metadata: ["symbol": "\(symbol)"])
        }
        let churning = try await churnPauses(at: now)
        // A drift halt past its end no longer holds (reconciliation clears it once the symbol agrees with the exchange).
        let halted = halt.map { fields in
            !fields.isEmpty && (fields["until"].flatMap(Int64.init).map { now.rawValue < $0 } ?? true)
        } ?? true
        var guards = RiskGuard.Guards(
            killSwitch: kill.map { $0["active"] == "true" } ?? true, haltedSymbols: halted ? [symbol] : [],
            churnPaused: churning, allowlist: configuration.allowlist,
            marketStateAsOf: market.flatMap { MarketStateHash(fields: $0).asOf },
            unprotectedSymbols: unprotected.map { Set($0.keys.compactMap { Symbol(rawValue: $0) }) } ?? [symbol])
        guards.exitPathUnhealthy = exitPath.map { !$0.isEmpty } ?? true
        if let pauses { guards.openPauses = OpenPauses(fields: pauses) } else { guards.haltedSymbols.insert(symbol) }
        return (guards, unfinished)
    }
}
