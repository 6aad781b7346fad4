import QuantumBus
import QuantumCore
import QuantumVenue

extension Executor {
    /// What became of a protective stop request.
    enum StopPlacement: Sendable {
        /// Live on the venue; `fresh` when this call placed it (not a live stop found with the same id).
        case placed(fresh: Bool)
        /// The mark is already through the level: the venue refuses the stop (-2021); the position must close now.
        case wouldTrigger
        case failed(String)
    }

    /// The client algo id of the stop at `level` for an epoch: one id per (symbol, epoch, level), like a stop-move plan.
    static func stopID(_ symbol: Symbol, _ epoch: PositionEpoch, _ level: Price) -> ClientOrderID {
        PlanIdentity.moveStop(symbol, epoch, level).clientOrderID
    }

    /// The level the position's stop must be at: its recorded stop, else the default distance from its entry.
    func stopLevel(_ record: PositionRecord) throws(MoneyError) -> Price {
        if let stop = record.stopLoss, stop.isPositive { return stop }
        return try defaultStop(record.symbol, record.direction, from: record.entryPrice)
    }

    /// `defaultStopDistance` from `price`, on the tick and away from the price (a long's stop rounds down, a short's up).
    func defaultStop(_ symbol: Symbol, _ direction: Direction, from price: Price) throws(MoneyError) -> Price {
        let one = Ratio(units: Ratio.one)
        let raw = direction == .long
            ? try price.fraction(try one - configuration.defaultStopDistance, rounding: .down)
            : try price.fraction(try one + configuration.defaultStopDistance, rounding: .up)
        guard let tick = rules[symbol]?.tickSize, tick.isPositive else { return raw }
        return try raw.rounded(toStep: tick, direction == .long ? .down : .up)
    }

    /// The stop an open is protected by: the plan's stop on the tick, away from the price; a missing or wrong-sided
    /// stop is replaced by `defaultStopDistance` from the reference price.
    func entryStopLevel(_ symbol: Symbol, _ open: OpenOrder) throws(MoneyError) -> Price {
        let reference = open.referencePrice
        let stop = open.stopLoss
        if stop.isPositive, open.direction == .long ? stop < reference : stop > reference {
            guard let tick = rules[symbol]?.tickSize, tick.isPositive else { return stop }
            return try stop.rounded(toStep: tick, open.direction == .long ? .down : .up)
        }
        return try defaultStop(symbol, open.direction, from: reference)
    }

    /// Places the `closePosition` stop of a position (held, or about to be opened) at `level`; a live stop with the
    /// same id already counts as placed. `counted: false` leaves the `stops_placed` count to the caller (an entry stop's
    /// is written with the entry's journal entry, so an open waits for one write less).
    func placeStop(_ symbol: Symbol, _ direction: Direction, epoch: PositionEpoch, level: Price, counted: Bool = true) async -> StopPlacement {
        let id = Self.stopID(symbol, epoch, level)
        let request = ConditionalOrderRequest.protectiveStop(symbol: symbol, direction: direction, triggerPrice: level, clientAlgoID: id)
        let outcome = await venue.submitConditional(request).outcome
        switch outcome {
        case .placed(let algo) where algo.status.isLive:
            if counted { _ = try? await store.update([Self.stopPlacedCount]) }
            logger.info("protective stop live", metadata: ["symbol": "\(symbol)", "stop": "\(level)", "id": "\(id)"])
            return .placed(fresh: true)
        case .placed(let algo):
            return .failed("the stop is \(algo.status.rawValue), not live")
        case .rejected(let error) where error.binanceCode == -2021:
            return .wouldTrigger
        case .rejected(let error) where error.binanceCode == -4116:
            // Our own id is already live (a retry after a crash or a lost reply).
            if let live = try? await venue.conditionalOrder(id), live.status.isLive { return .placed(fresh: false) }
            return .failed("\(error)")
        case .rejected(let error), .unresolved(let error):
            return .failed("\(error)")
        }
    }

    /// The count of one stop placed.
    static let stopPlacedCount = StateMutation.increment(key: StateKey.stat(.stopsPlaced), by: 1)

    func placeStop(_ record: PositionRecord, level: Price) async -> StopPlacement {
        await placeStop(record.symbol, record.direction, epoch: record.epoch, level: level)
    }

    /// Cancels the stop of `epoch` at `level`; a stop that is already gone is fine, a failure is left to the monitor.
    func cancelStop(_ symbol: Symbol, epoch: PositionEpoch, level: Price) async {
        do {
            _ = try await venue.cancelConditional(Self.stopID(symbol, epoch, level))
        } catch {
            logger.warning("protective stop not cancelled; the monitor will", metadata: ["symbol": "\(symbol)", "stop": "\(level)", "error": "\(error)"])
        }
    }

    /// After an entry fill: the stop placed before the entry must still be live. The price can cross it between its
    /// placement and the fill, and a closePosition stop that fires with no position expires; then it is placed again
    /// at once, or the position is closed if the price is already through it.
    func confirmEntryStop(_ record: PositionRecord) async throws {
        let level = try stopLevel(record)
        if let live = try? await venue.conditionalOrder(Self.stopID(record.symbol, record.epoch, level)), live.status.isLive { return }
        logger.warning("the entry's stop fired before the fill; placing it again", metadata: ["symbol": "\(record.symbol)", "stop": "\(level)"])
        switch await placeStop(record, level: level) {
        case .placed:
            return
        case .wouldTrigger:
            logger.error("the entry's stop is already breached; closing the position", metadata: ["symbol": "\(record.symbol)", "stop": "\(level)"])
            try await requestClose(record, reason: .stopLoss)
        case .failed(let why):
            logger.error("the entry's stop could not be placed again; the monitor retries", metadata: ["symbol": "\(record.symbol)", "error": "\(why)"])
        }
    }

    /// After an open ended: if it left no position of its epoch, its stop (placed before the entry) has nothing to protect.
    func dropUnusedEntryStop(_ plan: Plan) async throws {
        guard case .open(let open) = plan.order else { return }
        if let held = await book.position(plan.symbol), held.epoch == plan.epoch { return }
        await cancelStop(plan.symbol, epoch: plan.epoch, level: try entryStopLevel(plan.symbol, open))
    }

    /// Closes `record` now (caller holds the symbol's lock): the epoch's close plan is appended to the plan stream
    /// for the record, claimed with that entry and executed at once. When the consumer later reads the entry it
    /// finds the claim of that same entry, already terminal, and does nothing: the close exists once, on time.
    ///
    /// A close attempt that filled nothing opens the decision's next attempt; the next call (the monitor's next
    /// pass) makes it once the attempt's backoff has passed, until the position is flat.
    func requestClose(_ record: PositionRecord, reason: ExitReason) async throws {
        let decision = PlanIdentity.close(record.symbol, record.epoch)
        let now = clock.now()
        guard await exitRetries.ready(decision.planID, at: now) else { return }
        let identity = decision.attempt(try await exitAttempt(decision))
        // This attempt is already on the plan stream (journaled): it runs, or ran, from there. Appending it again would
        // give the plan a second entry, answered DUPLICATE.
        if try await journal.entry(identity.planID) != nil { return }
        let plan = Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: record.symbol, epoch: record.epoch,
                        order: .close(position: record.direction, reason: reason, killScore: nil), source: .applyLayer,
                        intentID: "apply-layer:\(identity.planID)", expiresAt: now.advanced(by: configuration.exitDeadline * 24), createdAt: now)
        let entryID = try await bus.publish(plan, to: StreamName.plan)
        guard case .claimed = try await journal.claim(plan, entryID: entryID) else { return }
        await deadlines.begin(plan.planID, deadline: now.advanced(by: configuration.exitDeadline))
        try await decide(plan)
        await deadlines.forget(plan.planID)
    }

    /// A stop move (profit lock, trailing): the new stop is placed, recorded, and only then the old one cancelled,
    /// so the position is never without a live stop. A stop that would not tighten is refused.
    func decideMoveStop(_ plan: Plan, newStop requested: Price) async throws {
        guard let record = await book.position(plan.symbol), record.epoch == plan.epoch else {
            return try await finish(plan, .skipped, .noPosition)
        }
        let current = try stopLevel(record)
        var level = requested
        if let tick = rules[plan.symbol]?.tickSize, tick.isPositive {
            level = try requested.rounded(toStep: tick, record.direction == .long ? .down : .up)
        }
        let tighter = record.direction == .long ? level > current : level < current
        guard tighter, level.isPositive else { return try await finish(plan, .skipped, .stopNotTighter) }
        var moved = record
        moved.stopLoss = level
        switch await placeStop(moved, level: level) {
        case .placed:
            let result = ApplyResult(
                planID: plan.planID, symbol: plan.symbol, action: plan.action,
                execution: .init(step: .stopMoved, clientOrderID: Self.stopID(plan.symbol, plan.epoch, level), orderID: nil,
                                 filledQuantity: .zero, averagePrice: level, epoch: plan.epoch),
                createdAt: clock.now())
            try await book.commit(plan.symbol, record: moved, extra: journal.terminal(result) + exitCounters(plan))
            if current != level { await cancelStop(plan.symbol, epoch: plan.epoch, level: current) }
            logger.info("protective stop moved", metadata: ["symbol": "\(plan.symbol)", "from": "\(current)", "to": "\(level)"])
            try await publish(result)
        case .wouldTrigger:
            // The price is already through the new level: the profit it meant to lock is taken by closing now.
            logger.warning("stop move would trigger at once; closing the position", metadata: ["symbol": "\(plan.symbol)", "stop": "\(level)"])
            try await requestClose(record, reason: plan.exitReason ?? .profitLock)
            try await finish(plan, .rejected, .venueRejected(code: -2021))
        case .failed(let why):
            logger.error("stop move failed; the current stop stays", metadata: ["symbol": "\(plan.symbol)", "error": "\(why)"])
            try await finish(plan, .rejected, .venueUnavailable)
        }
    }
}
