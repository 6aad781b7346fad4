import QuantumCore

/// Turns intents into plans: validation, the allowlist (opens only), sizing, rounding, identity, expiry.
///
/// Pure: the service reads the context (rules, price, account, epochs) and publishes the decision.
/// The same business intent always yields the same plan id (invariant 2), so repeats upstream are
/// answered `DUPLICATE` by the executor and never reach the exchange twice.
public struct IntentBridge: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Leverage every open is sized and placed at.
        public var leverage = Leverage(rawValue: 5)!
        public var sizing = PositionSizer.Configuration()
        /// Symbols that may be opened (`nil`: all). Never applied to exits (FM-36).
        public var allowlist: Set<Symbol>?
        /// Intents older than this when read are dropped (a stale backlog must not trade, FM-06/13).
        public var maxIntentAge: Duration = .seconds(120)
        /// A price older than this means no opens.
        public var maxPriceAge: Duration = .seconds(180)
        /// An open plan expires this long after it is made.
        public var openExpiry: Duration = .seconds(30)
        /// An exit plan expires this long after it is made (exits are urgent but must not be lost to a slow venue).
        public var exitExpiry: Duration = .seconds(120)
        /// A signal against the open position closes it (`signal_reversal`) instead of being refused; the next signal
        /// opens. A bar-based strategy's exit on an opposite cross, as its backtest makes it.
        public var closeOnOppositeSignal = false

        public init() {}
    }

    /// What the bridge knows of a symbol when an intent arrives.
    public struct Context: Sendable {
        public var rules: SymbolRules?
        /// The latest price of the symbol and when it was seen.
        public var price: Price?
        public var priceAsOf: EpochMillis?
        public var account: AccountWindows
        /// The epoch the next open of the symbol would start, and the attempt at it.
        public var nextEpoch: PositionEpoch
        public var attempt: Int
        /// The open position, if any.
        public var position: PositionRecord?
        public var now: EpochMillis
        /// For an exit intent: the attempt at its decision the executor has opened (it rises when one fills nothing).
        public var exitAttempt = 0
        /// Timed pauses of every open (loss streak, margin refusals): while one is active an open intent becomes no plan.
        public var openPauses = OpenPauses()

        public init(rules: SymbolRules?, price: Price?, priceAsOf: EpochMillis?, account: AccountWindows, nextEpoch: PositionEpoch,
                    attempt: Int, position: PositionRecord?, now: EpochMillis) {
            self.rules = rules
            self.price = price
            self.priceAsOf = priceAsOf
            self.account = account
            self.nextEpoch = nextEpoch
            self.attempt = attempt
            self.position = position
            self.now = now
        }
    }

    public enum Decision: Hashable, Sendable {
        case plan(Plan)
        case refuse(DecisionReason, detail: String)
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The plan for an open intent, or why there is none.
    public func plan(for intent: TradeIntent, in context: Context) -> Decision {
        let c = configuration
        if context.now.duration(since: intent.createdAt) > c.maxIntentAge { return .refuse(.intentStale, detail: "intent is older than \(c.maxIntentAge)") }
        // An exit, so before every rule that only opens obey (invariant 4).
        if let exit = reversalExit(for: intent, in: context) { return plan(for: exit, in: context) }
        if let allow = c.allowlist, !allow.contains(intent.symbol) { return .refuse(.notInAllowlist, detail: "\(intent.symbol) is not allowlisted") }
        if let pause = context.openPauses.active(at: context.now) {
            // The executor would refuse it: no plan is made for an open the pause forbids (it lifts by itself).
            return .refuse(pause.cause.reason, detail: "opens are paused until \(pause.until)")
        }
        guard let rules = context.rules, rules.isTrading else { return .refuse(.invalidPlan, detail: "\(intent.symbol) is not trading on the venue") }
        guard let price = context.price, let asOf = context.priceAsOf, context.now.duration(since: asOf) <= c.maxPriceAge else {
            return .refuse(.marketStateStale, detail: "no fresh price for \(intent.symbol)")
        }
        guard let account = context.account.riskAccount else { return .refuse(.equityStale, detail: "the account was never read") }
        if context.position != nil { return .refuse(.positionAlreadyExists, detail: "\(intent.symbol) already has a position") }
        do {
            let direction = intent.direction
            // Levels are rounded to the tick away from the entry, and must still be on their sides of the live price.
            let stop = try rules.roundedPrice(intent.stopLoss, direction == .long ? .down : .up)
            let target = try rules.roundedPrice(intent.takeProfit, direction == .long ? .up : .down)
            let stopOK = direction == .long ? stop < price : stop > price
            let targetOK = direction == .long ? target > price : target < price
            guard stopOK, targetOK else {
                return .refuse(.invalidPlan, detail: "the price \(price) moved past the intent's stop \(stop) or target \(target)")
            }
            let sizer = PositionSizer(configuration: c.sizing)
            let sized: PositionSizer.Sized
            switch try sizer.size(equity: account.equity, entry: price, stop: stop, leverage: c.leverage, rules: rules,
                                  availableMargin: account.availableMargin) {
            case .success(let value): sized = value
            case .failure(let reason): return .refuse(reason, detail: "sizing at \(price) with stop \(stop)")
            }
            let identity = PlanIdentity.open(intent.symbol, direction, context.nextEpoch, attempt: context.attempt)
            let order = OpenOrder(direction: direction, quantity: sized.quantity, referencePrice: price, notional: sized.notional,
                                  margin: sized.margin, leverage: c.leverage, stopLoss: stop, takeProfit: target, strategy: intent.strategy)
            return .plan(Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: intent.symbol, epoch: context.nextEpoch,
                              order: .open(order), source: intent.source, intentID: intent.intentID,
                              expiresAt: context.now.advanced(by: c.openExpiry), createdAt: context.now))
        } catch {
            return .refuse(.invalidPlan, detail: "arithmetic out of range: \(error)")
        }
    }

    /// The close an open intent means when it signals against the open position and `closeOnOppositeSignal` is on; `nil`
    /// otherwise. Its identity is the position's close, so a close already proposed by exit-brain makes it a duplicate.
    public func reversalExit(for intent: TradeIntent, in context: Context) -> ExitIntent? {
        guard configuration.closeOnOppositeSignal, let position = context.position, position.direction != intent.direction else { return nil }
        return ExitIntent(intentID: intent.intentID, symbol: intent.symbol, action: .close, epoch: position.epoch, reason: .signalReversal,
                          source: intent.source, createdAt: intent.createdAt)
    }

    /// The plan for an exit intent, or why there is none. No allowlist, price or account rule applies (invariant 4).
    public func plan(for exit: ExitIntent, in context: Context) -> Decision {
        if context.now.duration(since: exit.createdAt) > configuration.maxIntentAge {
            return .refuse(.intentStale, detail: "exit intent is older than \(configuration.maxIntentAge)")
        }
        guard let position = context.position, position.epoch == exit.epoch else {
            return .refuse(.noPosition, detail: "no position of epoch \(exit.epoch) on \(exit.symbol)")
        }
        let direction = position.direction
        guard let decision = Self.decision(for: exit) else {
            return .refuse(.invalidPlan, detail: "a \(exit.action.rawValue) needs \(exit.action == .moveStop ? "a price" : "a quantity")")
        }
        let identity = decision.attempt(context.exitAttempt)
        let order: PlanOrder
        switch exit.action {
        case .close:
            order = .close(position: direction, reason: exit.reason, killScore: exit.killScore)
        case .reduce:
            order = .reduce(position: direction, quantity: exit.quantity ?? .zero, rung: exit.rung, reason: exit.reason, killScore: exit.killScore)
        case .moveStop:
            order = .moveStop(position: direction, newStop: exit.newStop ?? .zero, reason: exit.reason)
        }
        return .plan(Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: exit.symbol, epoch: exit.epoch,
                          order: order, source: exit.source, intentID: exit.intentID,
                          expiresAt: context.now.advanced(by: configuration.exitExpiry), createdAt: context.now))
    }

    /// The decision an exit intent means (its identity at attempt 0); `nil` when the intent lacks its quantity or price.
    public static func decision(for exit: ExitIntent) -> PlanIdentity? {
        switch exit.action {
        case .close:
            return .close(exit.symbol, exit.epoch)
        case .reduce:
            guard exit.quantity != nil else { return nil }
            return exit.rung.map { .rung(exit.symbol, exit.epoch, $0) } ?? .manualReduce(exit.symbol, exit.epoch, exit.intentID)
        case .moveStop:
            guard let stop = exit.newStop else { return nil }
            return .moveStop(exit.symbol, exit.epoch, stop)
        }
    }
}
