import Metrics
import QuantumBus
import QuantumCore
import QuantumVenue

extension Executor {
    /// Records how a plan ended, atomically with its position change, and returns the result to publish.
    func commit(_ plan: Plan, _ ending: PlanExecution.Ending) async throws -> ApplyResult {
        let result = try await record(plan, ending)
        // An open's reserved capacity is given back once it ends: filled, it counts as the position it became.
        if plan.action.isOpen { await limits.release(plan.planID) }
        return result
    }

    private func record(_ plan: Plan, _ ending: PlanExecution.Ending) async throws -> ApplyResult {
        switch ending {
        case .executed(let order):
            let fee = await fees(of: order)
            await crashPoints.reached(.afterFill)
            return try await apply(plan, order: order, fee: fee)
        case .ended(let decision, let reason):
            let result = try await record(plan, decision, reason)
            if plan.action.isOpen, reason == .venueRejected(code: -2019) { try await marginRefused(plan) }
            return result
        }
    }

    /// The venue refused an open for margin after the pre-trade check passed (FM-26): counted, and enough of them in
    /// a short window pause every open for a while, with an alert. Exits are not affected.
    private func marginRefused(_ plan: Plan) async throws {
        guard let until = try await limits.recordMarginRefusal(at: clock.now()) else { return }
        logger.error("the venue refused \(configuration.risk.marginRefusalLimit) opens for margin (-2019) within \(configuration.risk.marginRefusalWindow); opens paused", metadata: [
            "alert": "open_pause:margin_refusals", "until": "\(until)", "symbol": "\(plan.symbol)"])
    }

    /// Commission of an order's fills (zero, logged, if the venue cannot tell: the position itself is exact).
    private func fees(of order: VenueOrder) async -> Notional {
        do {
            var total = Notional.zero
            for trade in try await venue.trades(ofOrder: order.orderID, symbol: order.symbol) { total = try total + trade.commission }
            return total
        } catch {
            logger.warning("fees of an order unreadable", metadata: ["order": "\(order.clientOrderID)", "error": "\(error)"])
            return .zero
        }
    }

    /// Applies a filled order to the position and records the executed result, atomically.
    private func apply(_ plan: Plan, order: VenueOrder, fee: Notional) async throws -> ApplyResult {
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
        case .reduce(_, _, let rung, _, _):
            try await applyExit(plan, fill: fill, rung: rung, mutations: &mutations, now: now)
        case .close:
            try await applyExit(plan, fill: fill, rung: nil, mutations: &mutations, now: now)
        case .moveStop:
            throw ExecutorError(.journalCorrupt, "a stop move has no market order to apply")
        }
        logger.info("plan executed", metadata: ["plan": "\(plan.planID)", "qty": "\(order.executedQuantity)", "avg": "\(order.averagePrice)"])
        return result
    }

    private func applyExit(_ plan: Plan, fill: Fill, rung: Int?, mutations: inout [StateMutation], now: EpochMillis) async throws {
        guard let record = await book.position(plan.symbol) else {
            // Filled, yet our record is gone (an external close raced it): the result stands, reconciliation adopts the venue's truth.
            try await store.update(mutations + exitCounters(plan))
            return
        }
        let outcome: PositionTransition.Outcome
        do {
            outcome = try PositionTransition.apply(fill, to: record, rung: rung, at: now)
        } catch let refused as FlipRefused {
            // The exchange held more than our record (a fill we have not seen yet): the fill happened, so the result
            // stands; the position is the exchange's, adopted as drift that halts the symbol's opens. Exits go on.
            logger.error("an exit filled more than the recorded position; adopting the exchange's", metadata: [
                "plan": "\(plan.planID)", "error": "\(refused)", "alert": "drift:\(plan.symbol)"])
            try await store.update(mutations + exitCounters(plan))
            try await reconcileSymbol(plan.symbol)
            return
        }
        mutations.append(.increment(key: StateKey.stat(.realizedPnLUnits), by: outcome.realized.units))
        mutations += exitCounters(plan) + Self.positionFigures(before: record, after: outcome, reason: plan.exitReason, rung: rung)
        if outcome.closedNet == nil, case .close = plan.order {
            // A close that left part of the position (a partial fill): the decision is not done, its next attempt may run.
            mutations += Self.nextExitAttempt(plan)
        }
        try await commitPosition(plan.symbol, record: outcome.record, extra: mutations, closedNet: outcome.closedNet)
        if outcome.closedNet != nil {
            // Flat: the closePosition stop has nothing left to protect.
            await cancelStop(plan.symbol, epoch: record.epoch, level: try stopLevel(record))
        }
    }
}
