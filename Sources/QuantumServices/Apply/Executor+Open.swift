import QuantumBus
import QuantumCore
import QuantumVenue

extension Executor {
    /// Gates an open with every rule of the risk guard, sets and verifies leverage, journals and sends it.
    func decideOpen(_ plan: Plan, _ open: OpenOrder) async throws {
        let symbol = plan.symbol
        let now = clock.now()
        // No pyramiding, no flips (invariant 3): a held position or a later epoch refuses the open.
        if await book.position(symbol) != nil { return try await finish(plan, .rejected, .positionAlreadyExists) }
        guard plan.epoch == (await book.nextEpoch(symbol)) else { return try await finish(plan, .rejected, .staleEpoch) }
        guard let rules = rules[symbol], rules.isTrading else { return try await finish(plan, .rejected, .invalidPlan) }

        let configuration = await limits.verifiedLeverage(symbol)
        // This plan is itself in the unfinished index; any other unfinished open counts as in flight.
        var unfinished = try await journal.inFlightSymbols()
        unfinished[symbol, default: 1] -= 1
        let inFlight = Set(unfinished.filter { $0.value > 0 }.keys)
        var positions: [Symbol: Notional] = [:]
        for (held, record) in await book.all { positions[held] = try record.entryPrice.notional(of: record.quantity) }
        let input = RiskGuard.Input(
            candidate: RiskGuard.OpenCandidate(symbol: symbol, direction: open.direction, notional: open.notional, margin: open.margin,
                                               leverage: open.leverage,
                                               bracketMaxNotional: configuration?.leverage == open.leverage ? configuration?.maxNotional : nil),
            account: await limits.account.riskAccount, positions: positions, inFlightOpens: inFlight,
            guards: try await guards(for: symbol, now: now), ordersLastMinute: await limits.ordersLastMinute(at: now), now: now)
        if case .refuse(let reason) = RiskGuard.evaluate(input, configuration: self.configuration.risk) {
            return try await finish(plan, .rejected, reason)
        }

        // Leverage is set and verified before the symbol's first order at it (FM-27), then the bracket is checked.
        let verified: SymbolConfiguration
        do {
            verified = try await ensureLeverage(open.leverage, for: symbol)
        } catch {
            logger.warning("leverage not set", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
            return try await finish(plan, .rejected, error.binanceCode.map { .venueRejected(code: $0) } ?? .venueUnavailable)
        }
        if verified.maxNotional.isPositive, open.notional > verified.maxNotional {
            return try await finish(plan, .rejected, .leverageBracket)
        }

        let quantity = try rules.flooredQuantity(open.quantity, for: .market)
        if let violation = rules.validate(OrderCheck(type: .market, side: open.direction.openingSide, quantity: quantity, markPrice: open.referencePrice)) {
            logger.warning("open fails the symbol's filters", metadata: ["plan": "\(plan.planID)", "violation": "\(violation)"])
            return try await finish(plan, .rejected, violation.binanceCode == -4164 ? .belowMinNotional : .quantityBelowStep)
        }
        // Invariant 5 by construction: the position's stop is on the exchange before its entry is sent, so the position
        // never exists without one. No stop, no entry.
        let stop = try entryStopLevel(symbol, open)
        switch await placeStop(symbol, open.direction, epoch: plan.epoch, level: stop) {
        case .placed:
            break
        case .wouldTrigger:
            return try await finish(plan, .rejected, .venueRejected(code: -2021))
        case .failed(let why):
            logger.warning("no protective stop, so no entry", metadata: ["plan": "\(plan.planID)", "error": "\(why)"])
            return try await finish(plan, .rejected, .venueUnavailable)
        }
        let order = PlanJournal.JournaledOrder(side: open.direction.openingSide, quantity: quantity, reduceOnly: false,
                                               absentAfter: now.advanced(by: self.configuration.absenceWindow))
        try await journal.submitting(plan, order: order)
        CrashPoint.afterJournal.reached()
        try await submitAndSettle(plan, order: order, rounds: 0)
        try await dropUnusedEntryStop(plan)
    }

    /// The symbol's leverage as verified on the venue, setting it first when it differs.
    private func ensureLeverage(_ leverage: Leverage, for symbol: Symbol) async throws(VenueError) -> SymbolConfiguration {
        if let known = await limits.verifiedLeverage(symbol), known.leverage == leverage { return known }
        let set = try await venue.setLeverage(leverage, for: symbol)
        guard set.leverage == leverage else {
            throw VenueError(.rejected, "asked for leverage \(leverage) on \(symbol), the venue reports \(set.leverage)")
        }
        await limits.setVerifiedLeverage(set)
        return set
    }
}
