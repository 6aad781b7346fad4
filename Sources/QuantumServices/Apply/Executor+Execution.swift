import Metrics
import QuantumBus
import QuantumCore
import QuantumVenue

extension Executor {
    /// How a plan's machine starts.
    enum ExecutionStart: Sendable {
        /// Freshly claimed; an open's guard keys as read with the claim.
        case claimed(StateSnapshot?)
        /// Found unfinished in the journal (a restart, or a redelivery after a crash).
        case resumed(PlanJournal.Entry)
    }

    /// The settings of every plan's machine, from the executor's configuration.
    var executionConfiguration: PlanExecution.Configuration {
        var c = PlanExecution.Configuration()
        c.absenceWindow = configuration.absenceWindow
        c.fillTimeout = configuration.fillTimeout
        return c
    }

    /// Runs a plan's `PlanExecution` to its end (caller holds the symbol's lock): the machine decides, this does.
    func execute(_ plan: Plan, _ start: ExecutionStart) async throws {
        var machine = PlanExecution(plan: plan, configuration: executionConfiguration)
        var command: PlanExecution.Command
        var resumed = false
        // Counts owed by this plan (a fresh entry stop), written with its journal entry or, failing that, at its end.
        var counts: [StateMutation] = []
        // The readings made with the claim serve the first gate only: any later one reads afresh.
        var claimReadings: StateSnapshot?
        switch start {
        case .claimed(let readings):
            claimReadings = readings
            command = machine.start(at: clock.now())
        case .resumed(let entry):
            resumed = entry.result != nil
            if entry.order != nil { logger.notice("resuming a plan whose order may have been sent", metadata: ["plan": "\(plan.planID)"]) }
            command = machine.resume(order: entry.order, result: entry.result, published: entry.published, at: clock.now())
        }
        while true {
            let event: PlanExecution.Event
            switch command {
            case .finished:
                if !counts.isEmpty { _ = try? await store.update(counts) }
                return
            case .gate(let purpose):
                event = .gated(try await gate(plan, purpose, readings: purpose == .first ? claimReadings : nil))
                claimReadings = nil
            case .placeEntryStop:
                let (outcome, fresh) = try await placeEntryStop(plan)
                if fresh { counts.append(Self.stopPlacedCount) }
                event = .entryStop(outcome, at: clock.now())
            case .journal(let order):
                try await journal.submitting(plan, order: order, with: counts)
                counts = []
                await crashPoints.reached(.afterJournal)
                event = .journaled
            case .send(let order):
                event = .sent(await send(plan, order), at: clock.now())
            case .query(let delay):
                if delay > .zero { try await clock.sleep(for: delay) } else { try Task.checkCancellation() }
                event = .queried(await lookUp(plan), at: clock.now())
            case .cancel:
                logger.warning("order not filled in time; cancelling", metadata: ["plan": "\(plan.planID)"])
                _ = try? await venue.cancel(plan.clientOrderID, symbol: plan.symbol)
                event = .cancelled
            case .wait(let delay):
                try await clock.sleep(for: delay)
                event = .waited(at: clock.now())
            case .commit(let ending):
                event = .committed(try await commit(plan, ending))
            case .confirmEntryStop:
                if let record = await book.position(plan.symbol), record.epoch == plan.epoch { try await confirmEntryStop(record) }
                event = .stopChecked
            case .dropEntryStop:
                try await dropUnusedEntryStop(plan)
                event = .stopChecked
            case .publish(let result):
                if resumed { try await publishOnce(result) } else { try await publish(result) }
                event = .published
            }
            // A call cut short because the task was cancelled (a shutdown) says nothing about the venue: the plan
            // stops here and is resumed from the journal, it never ends on what such a call reported.
            try Task.checkCancellation()
            command = machine.event(event)
        }
    }

    /// One send of the plan's order.
    private func send(_ plan: Plan, _ order: PlanExecution.Order) async -> OrderPlacement {
        let request = VenueOrderRequest(symbol: plan.symbol, side: order.side, type: .market, quantity: order.quantity,
                                        reduceOnly: order.reduceOnly, clientOrderID: plan.clientOrderID)
        await limits.recordOrder(plan.symbol, at: clock.now())
        // From the plan's creation (the bridge accepting the intent) to the order leaving, on the system's clock.
        Timer(label: "quantum_intent_to_order_seconds", dimensions: [("kind", order.reduceOnly ? "exit" : "open")])
            .recordNanoseconds(max(0, clock.now().rawValue - plan.createdAt.rawValue) * 1_000_000)
        let placement = await venue.place(request)
        _ = try? await store.update([.increment(key: StateKey.stat(.ordersSent), by: 1)])
        if case .unknown(let error) = placement {
            logger.warning("order outcome unknown; resolving by client order id", metadata: ["plan": "\(plan.planID)", "error": "\(error)"])
        }
        return placement
    }

    /// The plan's order as the venue has it.
    private func lookUp(_ plan: Plan) async -> PlanExecution.Lookup {
        do {
            let priority: RequestPriority = plan.isReduceOnly ? .protective : .entry
            return try await venue.order(plan.clientOrderID, symbol: plan.symbol, priority: priority).map { .found($0) } ?? .absent
        } catch {
            logger.warning("order query failed; retrying", metadata: ["plan": "\(plan.planID)", "error": "\(error)"])
            return .failed(error)
        }
    }

    /// Places the stop an open will be protected by, before its entry; `fresh` when this call placed it (its count is
    /// the caller's to write).
    private func placeEntryStop(_ plan: Plan) async throws -> (PlanExecution.StopOutcome, fresh: Bool) {
        guard case .open(let open) = plan.order else { return (.failed, false) }
        switch await placeStop(plan.symbol, open.direction, epoch: plan.epoch, level: try entryStopLevel(plan.symbol, open), counted: false) {
        case .placed(let fresh):
            return (.placed, fresh)
        case .wouldTrigger:
            return (.wouldTrigger, false)
        case .failed(let why):
            logger.warning("no protective stop, so no entry", metadata: ["plan": "\(plan.planID)", "error": "\(why)"])
            return (.failed, false)
        }
    }
}
