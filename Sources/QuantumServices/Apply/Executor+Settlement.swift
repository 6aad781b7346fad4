import Metrics
import QuantumBus
import QuantumCore
import QuantumVenue

extension Executor {
    /// Sends a journaled order (ambiguity-safe) and settles what the venue did with it.
    func submitAndSettle(_ plan: Plan, order: PlanJournal.JournaledOrder, rounds: Int) async throws {
        let request = VenueOrderRequest(symbol: plan.symbol, side: order.side, type: .market, quantity: order.quantity,
                                        reduceOnly: order.reduceOnly, clientOrderID: plan.clientOrderID)
        await limits.recordOrder(plan.symbol, at: clock.now())
        // From the plan's creation (the bridge accepting the intent) to the order leaving, on the system's clock.
        Timer(label: "quantum_intent_to_order_seconds", dimensions: [("kind", order.reduceOnly ? "exit" : "open")])
            .recordNanoseconds(max(0, clock.now().rawValue - plan.createdAt.rawValue) * 1_000_000)
        let submission = await venue.submit(request)
        try await store.update([.increment(key: StateKey.stat(.ordersSent), by: Int64(max(submission.sends, 1)))])
        switch submission.outcome {
        case .filled(let placed), .accepted(let placed):
            try await settle(plan, placed)
        case .rejected(let error) where order.reduceOnly && error.binanceCode == -2022:
            // "ReduceOnly Order is rejected": the exchange holds nothing this exit could reduce. Reconciliation adopts that.
            try await finish(plan, .skipped, .noPosition)
        case .rejected(let error):
            try await finish(plan, .rejected, error.binanceCode.map { .venueRejected(code: $0) } ?? .venueUnavailable)
            if !order.reduceOnly, error.binanceCode == -2019 { try await marginRefused(plan) }
        case .resolving(let error):
            logger.warning("order outcome unknown; resolving by client order id", metadata: ["plan": "\(plan.planID)", "error": "\(error)"])
            try await settleSubmitted(plan, order: order, rounds: rounds)
        }
    }

    /// The venue refused an open for margin after the pre-trade check passed (FM-26): counted, and enough of them in
    /// a short window pause every open for a while, with an alert. Exits are not affected.
    private func marginRefused(_ plan: Plan) async throws {
        guard let until = try await limits.recordMarginRefusal(at: clock.now()) else { return }
        logger.error("the venue refused \(configuration.risk.marginRefusalLimit) opens for margin (-2019) within \(configuration.risk.marginRefusalWindow); opens paused", metadata: [
            "alert": "open_pause:margin_refusals", "until": "\(until)", "symbol": "\(plan.symbol)"])
    }

    /// Finds out what happened to a journaled order by its client order id; never resends without proof of absence.
    func settleSubmitted(_ plan: Plan, order: PlanJournal.JournaledOrder, rounds: Int) async throws {
        var delay: Duration = .milliseconds(250)
        while true {
            try Task.checkCancellation()
            do {
                let priority: RequestPriority = order.reduceOnly ? .protective : .entry
                if let found = try await venue.order(plan.clientOrderID, symbol: plan.symbol, priority: priority) {
                    return try await settle(plan, found)
                }
                if clock.now() > order.absentAfter {
                    // Proven absent: the earlier send can no longer land. Send again with the same id, a bounded number of times.
                    guard rounds < 3 else { return try await finish(plan, .rejected, .venueUnavailable) }
                    logger.notice("order proven absent; sending it", metadata: ["plan": "\(plan.planID)"])
                    var again = order
                    again.absentAfter = clock.now().advanced(by: configuration.absenceWindow)
                    try await journal.submitting(plan, order: again)
                    return try await submitAndSettle(plan, order: again, rounds: rounds + 1)
                }
            } catch let error as VenueError {
                logger.warning("order query failed; retrying", metadata: ["plan": "\(plan.planID)", "error": "\(error)"])
            }
            try await clock.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }

    /// Waits for an order to end, then applies its fills and records the result.
    func settle(_ plan: Plan, _ placed: VenueOrder) async throws {
        var order = placed
        var delay: Duration = .milliseconds(50)
        let deadline = clock.now().advanced(by: configuration.fillTimeout)
        var cancelled = false
        var first = true
        while order.status.isOpen {
            // A market order's reply may say NEW while it has filled (FM-21): ask once at once, then back off.
            if !first {
                try await clock.sleep(for: delay)
                delay = min(delay * 2, .seconds(2))
            }
            first = false
            if !cancelled, clock.now() >= deadline {
                cancelled = true
                logger.warning("order not filled in time; cancelling", metadata: ["plan": "\(plan.planID)"])
                _ = try? await venue.cancel(plan.clientOrderID, symbol: plan.symbol)
            }
            let priority: RequestPriority = plan.isReduceOnly ? .protective : .entry
            if let latest = try? await venue.order(plan.clientOrderID, symbol: plan.symbol, priority: priority) { order = latest }
        }
        guard order.executedQuantity.isPositive, order.averagePrice.isPositive else {
            return try await finish(plan, .rejected, .orderNotFilled)
        }
        let fee = await fees(of: order)
        CrashPoint.afterFill.reached()
        try await apply(plan, order: order, fee: fee)
    }

    /// Commission of an order's fills (zero, logged, if the venue cannot tell: the position itself is exact).
    private func fees(of order: VenueOrder) async -> Notional {
        do {
            let trades = try await venue.userTrades(symbol: order.symbol, from: order.updateTime.advanced(by: .seconds(-60)), limit: 100)
            var total = Notional.zero
            for trade in trades where trade.orderID == order.orderID { total = try total + trade.commission }
            return total
        } catch {
            logger.warning("fees of an order unreadable", metadata: ["order": "\(order.clientOrderID)", "error": "\(error)"])
            return .zero
        }
    }

    /// Applies a filled order to the position and records the executed result, atomically, then publishes it.
    private func apply(_ plan: Plan, order: VenueOrder, fee: Notional) async throws {
        let now = clock.now()
        let fill = Fill(side: order.side, quantity: order.executedQuantity, price: order.averagePrice, fee: fee)
        let step: ExecutionStep = plan.action.isOpen ? .marketOpen : .marketReduceOnly
        let result = ApplyResult(
            planID: plan.planID, symbol: plan.symbol, action: plan.action,
            execution: .init(step: step, clientOrderID: plan.clientOrderID, orderID: order.orderID, filledQuantity: order.executedQuantity,
                             averagePrice: order.averagePrice, epoch: plan.epoch),
            createdAt: now)
        var mutations = journal.terminal(result) + [
            .increment(key: StateKey.stat(.fills), by: 1),
            .increment(key: StateKey.stat(.feeUnits), by: fee.units),
        ]
        switch plan.order {
        case .open(let open):
            // The stop recorded is the one placed on the exchange before the entry (`decideOpen`).
            let record = try PositionTransition.open(
                symbol: plan.symbol, direction: open.direction, epoch: plan.epoch, fill: fill, leverage: open.leverage,
                stopLoss: try entryStopLevel(plan.symbol, open), takeProfit: open.takeProfit, at: now)
            try await book.commit(plan.symbol, record: record, epoch: plan.epoch, extra: mutations)
            // The churn breaker counts positions opened; an open the venue refused or left unfilled opened nothing.
            await limits.recordOpen(plan.symbol, at: now)
            try await confirmEntryStop(record)
        case .reduce(_, _, let rung, _, _):
            try await applyExit(plan, fill: fill, rung: rung, mutations: &mutations, now: now)
        case .close:
            try await applyExit(plan, fill: fill, rung: nil, mutations: &mutations, now: now)
        case .moveStop:
            throw ExecutorError(.journalCorrupt, "a stop move has no market order to apply")
        }
        logger.info("plan executed", metadata: ["plan": "\(plan.planID)", "qty": "\(order.executedQuantity)", "avg": "\(order.averagePrice)"])
        try await publish(result)
    }

    private func applyExit(_ plan: Plan, fill: Fill, rung: Int?, mutations: inout [StateMutation], now: EpochMillis) async throws {
        guard let record = await book.position(plan.symbol) else {
            // Filled, yet our record is gone (an external close raced it): the result stands, reconciliation adopts the venue's truth.
            try await store.update(mutations + exitCounters(plan))
            return
        }
        let outcome = try PositionTransition.apply(fill, to: record, rung: rung, at: now)
        mutations.append(.increment(key: StateKey.stat(.realizedPnLUnits), by: outcome.realized.units))
        mutations += exitCounters(plan) + Self.positionFigures(before: record, after: outcome, reason: plan.exitReason, rung: rung)
        if outcome.closedNet == nil, case .close = plan.order {
            // A close that left part of the position (a partial fill): the decision is not done, its next attempt may run.
            mutations += Self.nextExitAttempt(plan)
        }
        let accounting = await closeAccounting(outcome.closedNet)
        try await book.commit(plan.symbol, record: outcome.record, extra: mutations + (accounting?.mutations ?? []))
        await closed(accounting)
        if outcome.closedNet != nil {
            // Flat: the closePosition stop has nothing left to protect.
            await cancelStop(plan.symbol, epoch: record.epoch, level: try stopLevel(record))
        }
    }
}
