import QuantumBus
import QuantumCore
import QuantumVenue

extension Executor {
    /// Whether a plan may send, and what: the one place where opens meet the risk guard and exits are sized.
    ///
    /// `readings` are an open's guard keys as read with its claim (for its first gate).
    func gate(_ plan: Plan, _ purpose: PlanExecution.GatePurpose, readings: StateSnapshot? = nil) async throws -> PlanExecution.Verdict {
        switch plan.order {
        case .open(let open):
            return try await gateOpen(plan, open, purpose, readings: readings)
        case .reduce(let position, let quantity, let rung, _, _):
            return try await sizeExit(plan, position: position, requested: quantity, rung: rung)
        case .close(let position, _, _):
            return try await sizeExit(plan, position: position, requested: nil, rung: nil)
        case .moveStop:
            return .refuse(.rejected, .invalidPlan)
        }
    }

    /// Every rule of the risk guard, the symbol's leverage set and verified, the bracket and the filters.
    ///
    /// Before a resend (the earlier send proven absent) the same rules run again, so an open resumed after a crash,
    /// a kill switch or stale equity does not go out on the strength of a check made before them.
    private func gateOpen(_ plan: Plan, _ open: OpenOrder, _ purpose: PlanExecution.GatePurpose, readings claimed: StateSnapshot?) async throws
        -> PlanExecution.Verdict {
        let symbol = plan.symbol
        let now = clock.now()
        if purpose == .resend, now >= plan.expiresAt { return .refuse(.expired, .planExpired) }
        // No pyramiding, no flips (invariant 3): a held position or a later epoch refuses the open.
        if await book.position(symbol) != nil { return .refuse(.rejected, .positionAlreadyExists) }
        guard plan.epoch == (await book.nextEpoch(symbol)) else { return .refuse(.rejected, .staleEpoch) }
        guard let rules = rules[symbol], rules.isTrading else { return .refuse(.rejected, .invalidPlan) }

        let configuration = await limits.verifiedLeverage(symbol)
        let readings = try await openReadings(for: symbol, now: now, readings: claimed)
        // This plan is itself in the unfinished index; any other unfinished open counts as in flight.
        var unfinished = readings.unfinished
        unfinished[symbol, default: 1] -= 1
        let inFlight = Set(unfinished.filter { $0.value > 0 }.keys)
        var positions: [Symbol: Notional] = [:]
        for (held, record) in await book.all { positions[held] = try record.entryPrice.notional(of: record.quantity) }
        let input = RiskGuard.Input(
            candidate: RiskGuard.OpenCandidate(symbol: symbol, direction: open.direction, notional: open.notional, margin: open.margin,
                                               leverage: open.leverage,
                                               bracketMaxNotional: configuration?.leverage == open.leverage ? configuration?.maxNotional : nil),
            account: await limits.account.riskAccount, positions: positions, inFlightOpens: inFlight,
            guards: readings.guards, ordersLastMinute: await limits.ordersLastMinute(at: now), now: now)
        let risk = self.configuration.risk
        let decision = await limits.admit(plan.planID, notional: open.notional, margin: open.margin) { reserved in
            var withReserved = input
            withReserved.reserved = reserved
            return RiskGuard.evaluate(withReserved, configuration: risk)
        }
        if case .refuse(let reason) = decision { return .refuse(.rejected, reason) }
        let quantity = try rules.flooredQuantity(open.quantity, for: .market)
        let order = PlanExecution.Order(side: open.direction.openingSide, quantity: quantity, reduceOnly: false)
        if purpose == .resend { return .pass(order) }

        // Leverage is set and verified before the symbol's first order at it (FM-27), then the bracket is checked.
        let verified: SymbolConfiguration
        do {
            verified = try await ensureLeverage(open.leverage, for: symbol)
        } catch {
            logger.warning("leverage not set", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
            return .refuse(.rejected, error.binanceCode.map { .venueRejected(code: $0) } ?? .venueUnavailable)
        }
        if verified.maxNotional.isPositive, open.notional > verified.maxNotional { return .refuse(.rejected, .leverageBracket) }
        if let violation = rules.validate(OrderCheck(type: .market, side: order.side, quantity: quantity, markPrice: open.referencePrice)) {
            logger.warning("open fails the symbol's filters", metadata: ["plan": "\(plan.planID)", "violation": "\(violation)"])
            return .refuse(.rejected, violation.binanceCode == -4164 ? .belowMinNotional : .quantityBelowStep)
        }
        return .pass(order)
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

    /// Sizes an exit from the live position, reduce-only (invariant 4).
    ///
    /// No risk rule, halt, allowlist or kill switch is consulted: exits are never blocked. The quantity
    /// is `min(requested, |live|)` floored to the step, where live is the exchange's position (our
    /// record if the exchange cannot be read: reduce-only still cannot flip it). A position of
    /// another epoch or direction, or nothing to sell, ends `SKIPPED` with `no_position` (FM-25).
    private func sizeExit(_ plan: Plan, position direction: Direction, requested: Quantity?, rung: Int?) async throws -> PlanExecution.Verdict {
        let symbol = plan.symbol
        guard let record = await book.position(symbol), record.epoch == plan.epoch, record.direction == direction else {
            return .refuse(.skipped, .noPosition)
        }
        // A tranche is taken once per epoch, whatever repeats upstream (FM-32).
        if let rung, record.rungsTaken.contains(rung) { return .refuse(.duplicate, .duplicatePlan) }
        var live = record.quantity
        do {
            let rows = try await venue.positions(symbol: symbol)
            let amount = rows.first { $0.symbol == symbol }?.quantity ?? .zero
            guard amount.isZero || (amount.isPositive == (direction == .long)) else { return .refuse(.skipped, .noPosition) }
            live = try amount.magnitude()
        } catch {
            logger.warning("live position unreadable; sizing the exit from our record", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
        }
        let wanted = min(requested ?? live, live)
        let quantity = try rules[symbol].map { try $0.flooredQuantity(wanted, for: .market) } ?? wanted
        guard quantity.isPositive else { return .refuse(.skipped, .noPosition) }
        return .pass(PlanExecution.Order(side: direction.closingSide, quantity: quantity, reduceOnly: true))
    }
}
