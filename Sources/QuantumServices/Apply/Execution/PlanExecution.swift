import QuantumCore
import QuantumVenue

/// One plan's execution as a pure state machine (DESIGN.md §5, steps 3–7): it says what to do next,
/// the executor does it and reports what happened. No I/O, no clock, no randomness.
///
/// Every path from a claimed plan to its one result runs through here, so the rules that keep an
/// order single live in one place:
/// * the order is journaled before every send (`journal` precedes each `send`);
/// * an unclear outcome (timeout, 5xx, 408, -1006, -1007, a lost or unreadable reply) is resolved by
///   looking the order up by its client id, never by sending again;
/// * a resend (same id) needs proof of absence: the venue says "no such order" after the *last*
///   send's window has closed (its return + `absenceWindow`, which covers recvWindow and clock skew;
///   after it Binance refuses the request, -1021/-5028). After a restart the window starts at the
///   restart, which is after any send of the process that died;
/// * an open is gated again before a resend (expiry, kill switch, equity, every risk rule): a plan
///   resumed after a crash is not an excuse to skip the guard. An open whose protective stop took
///   longer than `judgementLifetime` to place is gated again before its first send too. Exits are
///   never gated;
/// * a result is only claimed when known: a query that keeps failing keeps the plan in flight.
///
/// Stop moves do not go through here: they place an algo order, which the adapter resolves itself.
struct PlanExecution: Sendable {
    struct Configuration: Hashable, Sendable {
        /// After an unclear send, a "no such order" proves absence only once this long has passed since the send
        /// returned (the request's recvWindow plus a margin for clock error).
        var absenceWindow: Duration = .seconds(7)
        /// Sends of one plan at most: the first, and resends after proven absence or a refusal before execution.
        var maximumSends = 4
        /// An open whose stop is placed within this long of its start goes out on the guard's first verdict; one whose
        /// stop took longer (a protective request waiting out a 429 storm) is judged again before it is sent.
        ///
        /// The verdict is then never older than this when the order leaves, and a fast open spends no second round of
        /// guard reads on its way to the venue.
        var judgementLifetime: Duration = .milliseconds(250)
        /// An accepted order not filled after this long is cancelled (its fills so far stand).
        var fillTimeout: Duration = .seconds(30)
        var queryBackoff = Backoff(initial: .milliseconds(250), maximum: .seconds(5))
        var fillPollBackoff = Backoff(initial: .milliseconds(50), maximum: .seconds(2))
        /// The wait before a resend after a refusal before execution without a Retry-After (429, -1021).
        var refusedSendBackoff = Backoff(initial: .milliseconds(500), maximum: .seconds(10))
    }

    /// A doubling delay.
    struct Backoff: Hashable, Sendable {
        var initial: Duration
        var maximum: Duration

        func delay(after attempts: Int) -> Duration {
            var delay = initial
            for _ in 0..<max(attempts, 0) where delay < maximum { delay = delay * 2 }
            return min(delay, maximum)
        }
    }

    /// The market order a plan sends (as journaled).
    struct Order: Hashable, Sendable {
        var side: OrderSide
        var quantity: Quantity
        var reduceOnly: Bool
    }

    /// Why the shell is asked to gate.
    enum GatePurpose: Hashable, Sendable {
        /// Before the first send: an open is checked by the risk guard and sized; an exit is sized from the live position.
        case first
        /// Before a resend of an open whose earlier send is proven absent: the guard again, with the order as it was.
        case resend
    }

    /// What the shell must do next.
    enum Command: Hashable, Sendable {
        /// Decide whether the plan may send and what (answer with `gated`).
        case gate(GatePurpose)
        /// Place the open's protective stop before its entry (answer with `entryStop`).
        case placeEntryStop
        /// Record the order durably as being sent (answer with `journaled`).
        case journal(Order)
        /// Send the order once, with the plan's client order id (answer with `sent`).
        case send(Order)
        /// Look the order up by client order id after `after` (answer with `queried`).
        case query(after: Duration)
        /// Cancel the order by client order id (answer with `cancelled`).
        case cancel
        /// Wait, then answer `waited`.
        case wait(Duration)
        /// Record the result with its position change in one atomic update (answer with `committed`).
        case commit(Ending)
        /// After an open filled: its entry stop must still be live (answer with `stopChecked`).
        case confirmEntryStop
        /// After an open that opened nothing: cancel the stop placed for it (answer with `stopChecked`).
        case dropEntryStop
        /// Publish the recorded result (answer with `published`).
        case publish(ApplyResult)
        /// Nothing left to do.
        case finished
    }

    /// How a plan ends.
    enum Ending: Hashable, Sendable {
        /// The order filled (wholly or in part) and this is its final state.
        case executed(VenueOrder)
        /// Nothing was executed, for this reason.
        case ended(ResultDecision, DecisionReason)
    }

    /// What the shell reports.
    enum Event: Hashable, Sendable {
        case gated(Verdict)
        case entryStop(StopOutcome, at: EpochMillis)
        case journaled
        case sent(OrderPlacement, at: EpochMillis)
        case queried(Lookup, at: EpochMillis)
        case cancelled
        case waited(at: EpochMillis)
        case committed(ApplyResult)
        case stopChecked
        case published
    }

    enum Verdict: Hashable, Sendable {
        case pass(Order)
        case refuse(ResultDecision, DecisionReason)
    }

    enum StopOutcome: Hashable, Sendable {
        case placed
        /// The price is already through the stop (-2021).
        case wouldTrigger
        case failed
    }

    enum Lookup: Hashable, Sendable {
        case found(VenueOrder)
        /// "No such order" (-2013).
        case absent
        case failed(VenueError)
    }

    /// Where the plan stands.
    enum Phase: Hashable, Sendable {
        case idle
        /// Waiting for the gate; a resend keeps the order it gates.
        case gating(GatePurpose, Order?)
        case protecting(Order)
        case journaling(Order)
        case sending(Order)
        /// The send's outcome is unknown; absence counts as proof only from `absentAfter`.
        case resolving(Order, absentAfter: EpochMillis)
        /// The order is on the exchange and not finished.
        case filling(Order, deadline: EpochMillis, cancelled: Bool)
        case cancelling(Order, deadline: EpochMillis)
        /// A refusal before execution: waiting to send again.
        case backingOff(Order)
        case committing(Ending)
        case stopChecking(ApplyResult)
        case publishing(ApplyResult)
        case done
    }

    let plan: Plan
    let configuration: Configuration
    private(set) var phase: Phase = .idle
    /// Sends made (this run; a resumed plan counts the journaled one).
    private(set) var sends = 0
    private(set) var queries = 0
    private var polls = 0
    private var refusals = 0
    /// Whether this open's stop was placed (so an open ending without a position must drop it).
    private(set) var entryStopPlaced = false
    /// When the plan was started (before its first gate): the age its first verdict is judged by.
    private var startedAt: EpochMillis?

    init(plan: Plan, configuration: Configuration = Configuration()) {
        self.plan = plan
        self.configuration = configuration
    }

    var isOpen: Bool { plan.action.isOpen }

    /// Whether a placement leaves the order's fate unknown (it must be looked up).
    static func isUnknown(_ placement: OrderPlacement) -> Bool {
        if case .unknown = placement { return true }
        return false
    }

    // MARK: - Starting

    /// A freshly claimed plan at `now`.
    mutating func start(at now: EpochMillis) -> Command {
        if now >= plan.expiresAt { return end(.expired, .planExpired) }
        startedAt = now
        phase = .gating(.first, nil)
        return .gate(.first)
    }

    /// A plan found in the journal after a restart: `order` if it was being sent, `result` if it was recorded.
    ///
    /// A journaled order may have been sent by the process that died, at any time up to now: it is looked up, and
    /// absence proves nothing until the window counted from now has passed.
    mutating func resume(order: Order?, result: ApplyResult?, published: Bool, at now: EpochMillis) -> Command {
        if let result {
            guard !published else { return finish() }
            phase = .publishing(result)
            return .publish(result)
        }
        guard let order else { return start(at: now) }
        // The stop of an open is placed before its order is journaled.
        entryStopPlaced = isOpen
        sends = 1
        return resolve(order, at: now)
    }

    // MARK: - Events

    /// The next command after `event`.
    mutating func event(_ event: Event) -> Command {
        switch (phase, event) {
        case (.gating(let purpose, let held), .gated(let verdict)):
            switch verdict {
            case .refuse(let decision, let reason):
                return end(decision, reason)
            case .pass(let order):
                if let held { return journal(held) }
                if purpose == .first, isOpen {
                    phase = .protecting(order)
                    return .placeEntryStop
                }
                return journal(order)
            }

        case (.protecting(let order), .entryStop(let outcome, let now)):
            switch outcome {
            case .placed:
                entryStopPlaced = true
                if let startedAt, now.duration(since: startedAt) < configuration.judgementLifetime { return journal(order) }
                // Placing the stop took long (a protective request waited out a 429 storm): the open is judged again
                // (expiry, kill switch, limits) before it goes.
                phase = .gating(.resend, order)
                return .gate(.resend)
            case .wouldTrigger:
                return end(.rejected, .venueRejected(code: -2021))
            case .failed:
                // No stop, no entry (invariant 5).
                return end(.rejected, .venueUnavailable)
            }

        case (.journaling(let order), .journaled):
            sends += 1
            phase = .sending(order)
            return .send(order)

        case (.sending(let order), .sent(let placement, let now)):
            return sent(order, placement, at: now)

        case (.resolving(let order, let absentAfter), .queried(let lookup, let now)):
            switch lookup {
            case .found(let found):
                return settle(order, found, at: now)
            case .absent where now < absentAfter:
                // Not proof yet: the request may still reach the matching engine. Ask again once it cannot.
                return query(after: absentAfter.duration(since: now))
            case .absent:
                return provenAbsent(order, at: now)
            case .failed:
                return query(after: configuration.queryBackoff.delay(after: queries))
            }

        case (.filling(let order, let deadline, let cancelled), .queried(let lookup, let now)):
            switch lookup {
            case .found(let found) where found.status.isOpen:
                if !cancelled, now >= deadline {
                    phase = .cancelling(order, deadline: deadline)
                    return .cancel
                }
                return poll()
            case .found(let found):
                return settle(order, found, at: now)
            case .absent:
                // An accepted order does not vanish; if the venue says so, it is resolved like an unclear send.
                return resolve(order, at: now)
            case .failed:
                return poll()
            }

        case (.cancelling(let order, let deadline), .cancelled):
            phase = .filling(order, deadline: deadline, cancelled: true)
            return .query(after: .zero)

        case (.backingOff(let order), .waited(let now)):
            return resend(order, at: now)

        case (.committing(let ending), .committed(let result)):
            if isOpen, entryStopPlaced {
                phase = .stopChecking(result)
                if case .executed = ending { return .confirmEntryStop }
                return .dropEntryStop
            }
            phase = .publishing(result)
            return .publish(result)

        case (.stopChecking(let result), .stopChecked):
            phase = .publishing(result)
            return .publish(result)

        case (.publishing, .published):
            return finish()

        default:
            preconditionFailure("PlanExecution: \(event) does not answer \(phase) (plan \(plan.planID))")
        }
    }

    // MARK: - Steps

    private mutating func journal(_ order: Order) -> Command {
        phase = .journaling(order)
        return .journal(order)
    }

    private mutating func sent(_ order: Order, _ placement: OrderPlacement, at now: EpochMillis) -> Command {
        switch placement {
        case .placed(let placed):
            return settle(order, placed, at: now)
        case .rejected(let error) where order.reduceOnly && error.binanceCode == -2022:
            // "ReduceOnly Order is rejected": the exchange holds nothing this exit could reduce.
            return end(.skipped, .noPosition)
        case .rejected(let error):
            return end(.rejected, error.binanceCode.map { .venueRejected(code: $0) } ?? .venueUnavailable)
        case .notSent(let error):
            guard sends < configuration.maximumSends else { return end(.rejected, .venueUnavailable) }
            refusals += 1
            phase = .backingOff(order)
            return .wait(error.retryAfter ?? configuration.refusedSendBackoff.delay(after: refusals - 1))
        case .unknown:
            return resolve(order, at: now)
        }
    }

    /// Looks an order of unknown fate up; absence proves nothing before `now + absenceWindow`.
    private mutating func resolve(_ order: Order, at now: EpochMillis) -> Command {
        phase = .resolving(order, absentAfter: now.advanced(by: configuration.absenceWindow))
        return query(after: .zero)
    }

    private mutating func query(after delay: Duration) -> Command {
        queries += 1
        return .query(after: delay)
    }

    /// The order exists in this state.
    private mutating func settle(_ order: Order, _ found: VenueOrder, at now: EpochMillis) -> Command {
        if found.status.isOpen {
            // A market order's reply may say NEW while it fills (FM-21): asked again at once, then with backoff.
            if case .filling = phase { return poll() }
            polls = 0
            phase = .filling(order, deadline: now.advanced(by: configuration.fillTimeout), cancelled: false)
            return poll()
        }
        guard found.executedQuantity.isPositive, found.averagePrice.isPositive else { return end(.rejected, .orderNotFilled) }
        phase = .committing(.executed(found))
        return .commit(.executed(found))
    }

    /// The next look at an order that is still working: at once the first time, then backing off.
    private mutating func poll() -> Command {
        polls += 1
        return .query(after: polls == 1 ? .zero : configuration.fillPollBackoff.delay(after: polls - 2))
    }

    /// Nothing was executed and nothing can land any more.
    private mutating func provenAbsent(_ order: Order, at now: EpochMillis) -> Command {
        guard sends < configuration.maximumSends else { return end(.rejected, .venueUnavailable) }
        return resend(order, at: now)
    }

    private mutating func resend(_ order: Order, at now: EpochMillis) -> Command {
        if now >= plan.expiresAt { return end(.expired, .planExpired) }
        if isOpen {
            phase = .gating(.resend, order)
            return .gate(.resend)
        }
        return journal(order)
    }

    private mutating func end(_ decision: ResultDecision, _ reason: DecisionReason) -> Command {
        let ending = Ending.ended(decision, reason)
        phase = .committing(ending)
        return .commit(ending)
    }

    private mutating func finish() -> Command {
        phase = .done
        return .finished
    }
}
