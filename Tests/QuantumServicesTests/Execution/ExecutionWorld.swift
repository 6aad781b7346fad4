import QuantumCore
@testable import QuantumServices
import QuantumVenue

/// A seeded world for `PlanExecution` histories: a venue that misbehaves the ways Binance can, a durable journal
/// and result stream, and crashes before or after any command. It keeps the truth the machine never sees (every
/// order the venue created, requests still in flight) and checks the invariants against it.
struct ExecutionWorld {
    /// What the world may do, and how often (per mille).
    struct Weather: Sendable {
        var crashPerMille = 40
        var queryFailurePerMille = 150
        var recvWindow: Duration = .seconds(5)
        /// The machine's settings (a history with `absenceWindow` below `recvWindow` is a history with the fix off).
        var execution = PlanExecution.Configuration()
    }

    /// An order the venue created.
    struct VenueSideOrder {
        var order: VenueOrder
        /// For an accepted order: it fills at this time.
        var fillsAt: EpochMillis?
    }

    /// A request the venue has not yet seen: it lands at `landsAt` (before its recvWindow closes) or never.
    struct InFlight {
        var landsAt: EpochMillis?
        var order: PlanExecution.Order
    }

    /// The durable journal entry of the plan.
    enum Journal {
        case claimed
        case submitting(PlanExecution.Order)
        case terminal(ApplyResult, published: Bool)
    }

    static let symbol = Symbol(rawValue: "BTCUSDT")!

    var rng: SplitMix64
    let weather: Weather
    let plan: Plan
    var now = EpochMillis(1_750_000_000_000)
    var venueOrders: [VenueSideOrder] = []
    var inFlight: [InFlight] = []
    var nextOrderID: Int64 = 1
    var stopLive = false
    /// The exchange's position from the plan's fills (an exit plan starts with one to reduce).
    var position: Quantity
    var journal = Journal.claimed
    var stream: [ApplyResult] = []
    /// What happened, kept as values and written out only when a history fails: describing every step as it happens
    /// (reflection over the commands' payloads) made ten thousand histories take minutes of both test threads.
    var trace: [TraceStep] = []

    /// One step of a history.
    enum TraceStep: CustomStringConvertible {
        case step(EpochMillis, PlanExecution.Command, PlanExecution.Event)
        case crash(EpochMillis, before: Bool, PlanExecution.Command)

        var description: String {
            switch self {
            case .step(let now, let command, let event): "\(now): \(command) → \(event)"
            case .crash(let now, let before, let command): "\(now): crash \(before ? "before" : "after") \(command)"
            }
        }
    }
    var violations: [String] = []
    var crashes = 0
    /// When this life of the process last had an open passed by the guard.
    var verdictAt: EpochMillis?

    init(seed: UInt64, weather: Weather = Weather()) {
        var rng = SplitMix64(seed: seed)
        self.weather = weather
        let isOpen = rng.next() % 2 == 0
        let epoch = PositionEpoch(rawValue: 3)!
        let identity = isOpen ? PlanIdentity.open(Self.symbol, .long, epoch, attempt: 0) : PlanIdentity.close(Self.symbol, epoch)
        let order: PlanOrder = isOpen
            ? .open(OpenOrder(direction: .long, quantity: Quantity("0.010")!, referencePrice: Price("100000")!, notional: Notional("1000")!,
                              margin: Margin("100")!, leverage: Leverage(rawValue: 10)!, stopLoss: Price("98000")!,
                              takeProfit: Price("103000")!, strategy: "test"))
            : .close(position: .long, reason: .killScore, killScore: nil)
        plan = Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: Self.symbol, epoch: epoch, order: order,
                    source: .signalBot, intentID: "i", expiresAt: now.advanced(by: .seconds(Int64(20 + rng.next() % 100))), createdAt: now)
        position = isOpen ? .zero : Quantity("0.010")!
        stopLive = !isOpen
        self.rng = rng
    }

    // MARK: - Running

    /// Runs the plan to its end through crashes and restarts; returns false if it did not end within `limit` commands.
    mutating func run(limit: Int = 3_000) -> Bool {
        var machine = PlanExecution(plan: plan, configuration: weather.execution)
        var command = machine.start(at: now)
        var resumed = false
        for _ in 0..<limit {
            if case .finished = command {
                settleTheWorld()
                return true
            }
            let crash = roll(weather.crashPerMille)
            let crashAfter = crash && roll(500)
            if crash, !crashAfter {
                restart(&machine, &command, &resumed, note: .crash(now, before: true, command))
                continue
            }
            let event = perform(command, resumed: resumed)
            if crash, case .publish(let result) = command, roll(500) {
                // Killed between putting the result on the stream and marking it published.
                journal = .terminal(result, published: false)
            }
            if crash {
                restart(&machine, &command, &resumed, note: .crash(now, before: false, command))
                continue
            }
            trace.append(.step(now, command, event))
            command = machine.event(event)
        }
        return false
    }

    /// A process restart: the machine is rebuilt from the journal alone, some time later.
    private mutating func restart(_ machine: inout PlanExecution, _ command: inout PlanExecution.Command, _ resumed: inout Bool, note: TraceStep) {
        crashes += 1
        verdictAt = nil
        trace.append(note)
        advance(by: .milliseconds(Int64(rng.next() % 3_000)))
        machine = PlanExecution(plan: plan, configuration: weather.execution)
        switch journal {
        case .claimed:
            command = machine.resume(order: nil, result: nil, published: false, at: now)
            resumed = false
        case .submitting(let order):
            command = machine.resume(order: order, result: nil, published: false, at: now)
            resumed = false
        case .terminal(let result, let published):
            command = machine.resume(order: nil, result: result, published: published, at: now)
            resumed = true
        }
    }

    /// Does what the shell would, against the world.
    private mutating func perform(_ command: PlanExecution.Command, resumed: Bool) -> PlanExecution.Event {
        switch command {
        case .gate(let purpose):
            advance(by: .milliseconds(1))
            if plan.action.isOpen {
                if purpose == .first, !position.isZero { return .gated(.refuse(.rejected, .positionAlreadyExists)) }
                if roll(purpose == .first ? 100 : 200) { return .gated(.refuse(.rejected, .killSwitch)) }
                verdictAt = now
                return .gated(.pass(PlanExecution.Order(side: .buy, quantity: Quantity("0.010")!, reduceOnly: false)))
            }
            guard position.isPositive else { return .gated(.refuse(.skipped, .noPosition)) }
            return .gated(.pass(PlanExecution.Order(side: .sell, quantity: position, reduceOnly: true)))
        case .placeEntryStop:
            // Mostly quick; one in five waits long enough (a 429 storm) for the open to be judged again.
            advance(by: .milliseconds(Int64(rng.next() % 5 == 0 ? 250 + rng.next() % 2_000 : rng.next() % 50)))
            let draw = rng.next() % 100
            if draw < 90 {
                stopLive = true
                return .entryStop(.placed, at: now)
            }
            return .entryStop(draw < 93 ? .wouldTrigger : .failed, at: now)
        case .journal(let order):
            journal = .submitting(order)
            return .journaled
        case .send(let order):
            if plan.action.isOpen {
                // Every send of an open goes out on a verdict of this life younger than its lifetime.
                if let verdictAt {
                    let age = now.duration(since: verdictAt)
                    if age >= weather.execution.judgementLifetime { violations.append("an open sent on a verdict \(age) old") }
                } else {
                    violations.append("an open sent with no verdict since the restart")
                }
            }
            return .sent(send(order), at: now)
        case .query(let delay):
            advance(by: delay)
            advance(by: .milliseconds(Int64(rng.next() % 100)))
            if roll(weather.queryFailurePerMille) { return .queried(.failed(VenueError(.timeout, "query timed out")), at: now) }
            return .queried(latest().map { .found($0) } ?? .absent, at: now)
        case .cancel:
            advance(by: .milliseconds(Int64(rng.next() % 100)))
            for index in venueOrders.indices where venueOrders[index].order.clientOrderID == plan.clientOrderID.rawValue && venueOrders[index].order.status.isOpen {
                venueOrders[index].order.status = .canceled
                venueOrders[index].fillsAt = nil
            }
            return .cancelled
        case .wait(let delay):
            advance(by: delay)
            return .waited(at: now)
        case .commit(let ending):
            let result: ApplyResult
            switch ending {
            case .executed(let order):
                result = ApplyResult(planID: plan.planID, symbol: plan.symbol, action: plan.action,
                                     execution: .init(step: plan.action.isOpen ? .marketOpen : .marketReduceOnly, clientOrderID: plan.clientOrderID,
                                                      orderID: order.orderID, filledQuantity: order.executedQuantity,
                                                      averagePrice: order.averagePrice, epoch: plan.epoch),
                                     createdAt: now)
            case .ended(let decision, let reason):
                result = ApplyResult(planID: plan.planID, symbol: plan.symbol, action: plan.action, decision: decision, reason: reason, createdAt: now)
            }
            journal = .terminal(result, published: false)
            return .committed(result)
        case .confirmEntryStop:
            if !position.isZero, !stopLive { violations.append("an open filled and its stop is not live at the confirmation") }
            return .stopChecked
        case .dropEntryStop:
            if position.isZero { stopLive = false }
            return .stopChecked
        case .publish(let result):
            // A resumed plan publishes once: the shell looks for its result on the stream first.
            if !(resumed && stream.contains { $0.planID == result.planID }) { stream.append(result) }
            journal = .terminal(result, published: true)
            return .published
        case .finished:
            preconditionFailure("finished is not performed")
        }
    }

    // MARK: - The venue

    /// One send: every way Binance can answer, or not.
    private mutating func send(_ order: PlanExecution.Order) -> OrderPlacement {
        advance(by: .milliseconds(Int64(rng.next() % 200)))
        if latestOpen() != nil { return .unknown(VenueError(.rejected, "clientOrderId is duplicated", binanceCode: -4116)) }
        switch rng.next() % 100 {
        case 0..<30:
            return .placed(create(order, status: .filled))
        case 30..<42:
            // Accepted: the reply says NEW, the fill comes later (the testnet's behaviour).
            return .placed(create(order, status: .new))
        case 42..<52:
            let code = order.reduceOnly ? -2022 : -2019
            return .rejected(VenueError(.rejected, "refused", binanceCode: code, httpStatus: 400))
        case 52..<60:
            return .notSent(VenueError(.rateLimited, "429", httpStatus: 429, retryAfter: rng.next() % 2 == 0 ? nil : .seconds(1)))
        case 60..<72:
            // Executed, the reply lost (a timeout, a 502/503 after execution, a garbled body).
            _ = create(order, status: .filled)
            return .unknown(VenueError(.serverError, "HTTP 503"))
        case 72..<88:
            // The request is on its way and may reach the matching engine any time until its recvWindow closes.
            let lands = rng.next() % 2 == 0
            let delay = Duration.milliseconds(Int64(rng.next() % UInt64(weather.recvWindow.wholeMilliseconds)))
            inFlight.append(InFlight(landsAt: lands ? now.advanced(by: delay) : nil, order: order))
            return .unknown(VenueError(.timeout, "no reply"))
        default:
            // Refused before execution with an unclear answer (a 5xx from the gateway).
            return .unknown(VenueError(.serverError, "HTTP 502"))
        }
    }

    @discardableResult
    private mutating func create(_ order: PlanExecution.Order, status: OrderStatus) -> VenueOrder {
        let venueOrder = VenueOrder(orderID: nextOrderID, clientOrderID: plan.clientOrderID.rawValue, symbol: plan.symbol, side: order.side,
                                    typeName: "MARKET", status: status, price: .zero, averagePrice: Price("100000")!,
                                    originalQuantity: order.quantity, executedQuantity: order.quantity, cumulativeQuote: .zero,
                                    reduceOnly: order.reduceOnly, closePosition: false, updateTime: now)
        nextOrderID += 1
        var created = VenueSideOrder(order: venueOrder)
        defer { venueOrders.append(created) }
        if status == .filled {
            fill(order)
        } else {
            created.order.executedQuantity = .zero
            created.order.averagePrice = .zero
            created.fillsAt = now.advanced(by: .milliseconds(Int64(rng.next() % 40_000)))
        }
        return created.order
    }

    /// A fill moves the exchange's position; an open's fill must find its stop in place.
    private mutating func fill(_ order: PlanExecution.Order) {
        if plan.action.isOpen {
            if !stopLive { violations.append("an open filled with no protective stop in place") }
            position = (try? position + order.quantity) ?? position
        } else {
            position = order.quantity > position ? .zero : ((try? position - order.quantity) ?? .zero)
        }
    }

    /// Moves time on: requests land, accepted orders fill.
    private mutating func advance(by duration: Duration) {
        now = now.advanced(by: max(duration, .zero))
        var remaining: [InFlight] = []
        for request in inFlight {
            guard let lands = request.landsAt else { continue }
            if lands <= now {
                if latestOpen() == nil { create(request.order, status: .filled) }
            } else {
                remaining.append(request)
            }
        }
        inFlight = remaining
        for index in venueOrders.indices {
            if let at = venueOrders[index].fillsAt, at <= now {
                venueOrders[index].fillsAt = nil
                venueOrders[index].order.status = .filled
                venueOrders[index].order.executedQuantity = venueOrders[index].order.originalQuantity
                venueOrders[index].order.averagePrice = Price("100000")!
                fill(PlanExecution.Order(side: venueOrders[index].order.side, quantity: venueOrders[index].order.originalQuantity,
                                         reduceOnly: venueOrders[index].order.reduceOnly))
            }
        }
    }

    /// The newest order with the plan's client id (what a query by origClientOrderId answers).
    private func latest() -> VenueOrder? { venueOrders.last?.order }

    private func latestOpen() -> VenueOrder? { venueOrders.last { $0.order.status.isOpen }?.order }

    private mutating func roll(_ perMille: Int) -> Bool { Int(rng.next() % 1_000) < perMille }

    // MARK: - The truth

    /// After the end: let every request that can still land do so, and every accepted order finish, then judge.
    private mutating func settleTheWorld() {
        advance(by: .seconds(120))
        let filled = venueOrders.filter { $0.order.executedQuantity.isPositive }
        if filled.count > 1 { violations.append("duplicate_order: \(filled.count) orders of one plan filled") }
        let results = stream.filter { $0.planID == plan.planID }
        if results.count != 1 { violations.append("plan_without_one_result: \(results.count) results published") }
        guard let result = results.first else { return }
        if result.executed {
            let matching = filled.contains { $0.order.orderID == result.execution?.orderID && $0.order.executedQuantity == result.execution?.filledQuantity }
            if !matching { violations.append("an executed result names no filled order of the venue") }
        } else if !filled.isEmpty {
            violations.append("the result says \(result.decision.rawValue) (\(result.reason?.word ?? "")) but the venue filled the order")
        }
        if plan.action.isOpen, !position.isZero, !stopLive { violations.append("unprotected: a position is left without its stop") }
    }
}
