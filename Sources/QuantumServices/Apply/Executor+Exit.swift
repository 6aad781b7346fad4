import QuantumBus
import QuantumCore
import QuantumVenue

extension Executor {
    /// Sizes an exit from the live position and sends it reduce-only (invariant 4).
    ///
    /// No risk rule, halt, allowlist or kill switch is consulted: exits are never blocked. The quantity
    /// is `min(requested, |live|)` floored to the step, where live is the exchange's position (our
    /// record if the exchange cannot be read: reduce-only still cannot flip it). A position of
    /// another epoch or direction, or nothing to sell, ends `SKIPPED` with `no_position` (FM-25).
    func decideExit(_ plan: Plan, position direction: Direction, requested: Quantity?, rung: Int?) async throws {
        let symbol = plan.symbol
        guard let record = await book.position(symbol), record.epoch == plan.epoch, record.direction == direction else {
            return try await finish(plan, .skipped, .noPosition)
        }
        if let rung, record.rungsTaken.contains(rung) {
            // A tranche is taken once per epoch, whatever repeats upstream (FM-32).
            return try await finish(plan, .duplicate, .duplicatePlan)
        }
        var live = record.quantity
        do {
            let rows = try await venue.positions(symbol: symbol)
            let amount = rows.first { $0.symbol == symbol }?.quantity ?? .zero
            guard amount.isZero || (amount.isPositive == (direction == .long)) else { return try await finish(plan, .skipped, .noPosition) }
            live = try amount.magnitude()
        } catch {
            logger.warning("live position unreadable; sizing the exit from our record", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
        }
        let wanted = min(requested ?? live, live)
        let quantity = try rules[symbol].map { try $0.flooredQuantity(wanted, for: .market) } ?? wanted
        guard quantity.isPositive else { return try await finish(plan, .skipped, .noPosition) }
        let order = PlanJournal.JournaledOrder(side: direction.closingSide, quantity: quantity, reduceOnly: true,
                                               absentAfter: clock.now().advanced(by: configuration.absenceWindow))
        try await journal.submitting(plan, order: order)
        CrashPoint.afterJournal.reached()
        try await submitAndSettle(plan, order: order, rounds: 0)
    }
}
