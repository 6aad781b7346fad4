import QuantumCore

/// One valid example of every bus message, for round-trip, malformed-variant and fuzz tests.
public enum MessageFixtures {
    public static let symbol = Symbol("BTCUSDT")
    public static let now = EpochMillis(1_770_158_765_000)

    public static func price(_ text: String) -> Price { Price(text)! }
    public static func quantity(_ text: String) -> Quantity { Quantity(text)! }

    public static var tradeIntent: TradeIntent {
        TradeIntent(intentID: "sig-1", symbol: symbol, direction: .long, confidence: 0.62, strategy: "ema_cross",
                    referencePrice: price("50000.1"), stopLoss: price("49000"), takeProfit: price("52500.5"), createdAt: now)
    }

    public static var exitIntentClose: ExitIntent {
        ExitIntent(intentID: "exit-1", symbol: symbol, action: .close, epoch: PositionEpoch(rawValue: 3)!, reason: .killScore,
                   source: .exitBrain, rMultiple: 9.76,
                   killScore: KillScoreAudit(score: 0.71197, regimeFlip: 1, sigmaSpike: 0, trendStrengthDrop: 0.241594, agePenalty: 0.041667),
                   createdAt: now)
    }

    public static var exitIntentReduce: ExitIntent {
        ExitIntent(intentID: "exit-2", symbol: symbol, action: .reduce, epoch: PositionEpoch(rawValue: 3)!, reason: .ladderRung,
                   source: .harvest, quantity: quantity("0.025"), rung: 1, rMultiple: 2.1, createdAt: now)
    }

    public static var exitIntentMoveStop: ExitIntent {
        ExitIntent(intentID: "exit-3", symbol: symbol, action: .moveStop, epoch: PositionEpoch(rawValue: 3)!, reason: .profitLock,
                   source: .harvest, newStop: price("50100.1"), createdAt: now)
    }

    public static var openPlan: Plan {
        let identity = PlanIdentity.open(symbol, .long, PositionEpoch(rawValue: 4)!)
        return Plan(
            planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: PositionEpoch(rawValue: 4)!,
            order: .open(OpenOrder(direction: .long, quantity: quantity("0.1"), referencePrice: price("50000"), notional: Notional("5000")!,
                                   margin: Margin("500")!, leverage: Leverage(rawValue: 10)!, stopLoss: price("49000"),
                                   takeProfit: price("52500"), strategy: "ema_cross")),
            source: .intentBridge, intentID: "sig-1", expiresAt: now.advanced(by: .seconds(30)), createdAt: now)
    }

    public static var rungPlan: Plan {
        let identity = PlanIdentity.rung(symbol, PositionEpoch(rawValue: 3)!, 2)
        return Plan(
            planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: PositionEpoch(rawValue: 3)!,
            order: .reduce(position: .short, quantity: quantity("0.025"), rung: 2, reason: .ladderRung, killScore: nil),
            source: .intentBridge, intentID: "exit-2", expiresAt: now.advanced(by: .seconds(5)), createdAt: now)
    }

    public static var closePlan: Plan {
        let identity = PlanIdentity.close(symbol, PositionEpoch(rawValue: 3)!)
        return Plan(
            planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: PositionEpoch(rawValue: 3)!,
            order: .close(position: .long, reason: .killScore, killScore: exitIntentClose.killScore),
            source: .intentBridge, intentID: "exit-1", expiresAt: now.advanced(by: .seconds(5)), createdAt: now)
    }

    public static var moveStopPlan: Plan {
        let identity = PlanIdentity.moveStop(symbol, PositionEpoch(rawValue: 3)!, price("50100.1"))
        return Plan(
            planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: PositionEpoch(rawValue: 3)!,
            order: .moveStop(position: .long, newStop: price("50100.1"), reason: .profitLock),
            source: .intentBridge, intentID: "exit-3", expiresAt: now.advanced(by: .seconds(5)), createdAt: now)
    }

    public static var executedResult: ApplyResult {
        ApplyResult(planID: closePlan.planID, symbol: symbol, action: .fullClose,
                    execution: .init(step: .marketReduceOnly, clientOrderID: closePlan.clientOrderID, orderID: 73_028_792,
                                     filledQuantity: quantity("0.1"), averagePrice: price("52500.5"), epoch: PositionEpoch(rawValue: 3)!),
                    createdAt: now)
    }

    public static var skippedResult: ApplyResult {
        ApplyResult(planID: closePlan.planID, symbol: symbol, action: .fullClose, decision: .skipped, reason: .noPosition, createdAt: now)
    }

    public static var rejectedResult: ApplyResult {
        ApplyResult(planID: openPlan.planID, symbol: symbol, action: .openLong, decision: .rejected, reason: .venueRejected(code: -2019), createdAt: now)
    }

    public static var position: PositionRecord {
        PositionRecord(symbol: symbol, side: .long, quantity: quantity("0.075"), peakQuantity: quantity("0.1"), entryPrice: price("50000"),
                       leverage: Leverage(rawValue: 10)!, stopLoss: price("49000"), takeProfit: nil, initialRisk: price("1000"),
                       epoch: PositionEpoch(rawValue: 3)!, realizedPnL: Notional("50.25")!, fees: Notional("2.5")!, rungsTaken: [1],
                       openedAt: now.advanced(by: .seconds(-3600)), updatedAt: now)
    }

    public static var heartbeat: Heartbeat {
        Heartbeat(service: .applyLayer, instance: "embedded", status: .running, processed: 42, lag: 0,
                  lastProgress: now, interval: .seconds(1), createdAt: now)
    }

    /// Every fixture, as its canonical encoding and decoded form.
    public static var all: [AnyMessage] {
        [.tradeIntent(tradeIntent), .exitIntent(exitIntentClose), .exitIntent(exitIntentReduce), .exitIntent(exitIntentMoveStop),
         .plan(openPlan), .plan(rungPlan), .plan(closePlan), .plan(moveStopPlan),
         .result(executedResult), .result(skippedResult), .result(rejectedResult), .position(position), .heartbeat(heartbeat)]
    }
}
