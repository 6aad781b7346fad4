import Logging
import QuantumBus
import QuantumCore
import QuantumVenue
import ServiceLifecycle

/// The intent-bridge service: reads `trade.intent` and `exit.intent`, publishes plans on `apply.plan`.
///
/// Malformed intents are dead-lettered by the consumer (invariant 8); refused ones are published
/// on `intent.rejected` with the reason, so every intent leaves a trace.
public struct IntentBridgeService: Service {
    public let venue: any Venue
    public let log: any EventLog
    public let store: any StateStore
    public let clock: any EpochClock
    public let bridge: IntentBridge
    public let logger: Logger
    public let progress: ServiceProgress
    public var heartbeatInterval: Duration = .seconds(1)
    private let epochs = NextEpochs()

    public init(venue: any Venue, log: any EventLog, store: any StateStore, clock: any EpochClock,
                configuration: IntentBridge.Configuration = IntentBridge.Configuration(), logger: Logger) {
        self.venue = venue
        self.log = log
        self.store = store
        self.clock = clock
        self.bridge = IntentBridge(configuration: configuration)
        self.logger = logger
        self.progress = ServiceProgress(now: clock.now())
    }

    public func run() async throws {
        let bus = MessageBus(log: log)
        // Before the first append: what this service publishes while its consumer starts must not be skipped.
        try await bus.prepareConsumers(of: StreamName.plan)
        let heartbeat = HeartbeatEmitter(service: .intentBridge, interval: heartbeatInterval, bus: bus, clock: clock, progress: progress, logger: logger)
        let rules = try await venue.symbolRules()
        let opens = TypedConsumer<TradeIntent>(log: log, stream: StreamName.tradeIntent, group: GroupName.intentBridge, consumer: "intent-bridge-1")
        let exits = TypedConsumer<ExitIntent>(log: log, stream: StreamName.exitIntent, group: GroupName.intentBridge, consumer: "intent-bridge-1")
        try await opens.prepare()
        try await exits.prepare()
        progress.setStatus(.running)
        try await runParts { group in
            group.addTask { await heartbeat.run() }
            group.addTask {
                try await self.loop(exits, bus: bus) { exit in
                    let context = try await self.context(exit.symbol, rules: rules, exit: exit)
                    return self.bridge.plan(for: exit, in: context)
                }
            }
            group.addTask {
                try await self.loop(opens, bus: bus) { intent in
                    var context = try await self.context(intent.symbol, rules: rules)
                    if let exit = self.bridge.reversalExit(for: intent, in: context) { context.exitAttempt = try await self.exitAttempt(exit) }
                    return self.bridge.plan(for: intent, in: context)
                }
            }
        }
    }

    private func loop<M: BusMessage>(_ consumer: TypedConsumer<M>, bus: MessageBus, decide: @escaping @Sendable (M) async throws -> IntentBridge.Decision) async throws {
        for item in try await consumer.reclaim() { try await route(item, consumer, bus, decide) }
        while !Task.isCancelled {
            let items: [TypedConsumer<M>.Item]
            do { items = try await consumer.next(count: 32, wait: .seconds(1)) } catch is CancellationError { return }
            if items.isEmpty { progress.idle(at: clock.now()) }
            for item in items { try await route(item, consumer, bus, decide) }
            // After routing: the lag is a round trip, and the intents in hand must not wait for it.
            progress.setLag(try? await consumer.lag())
        }
    }

    private func route<M: BusMessage>(_ item: TypedConsumer<M>.Item, _ consumer: TypedConsumer<M>, _ bus: MessageBus,
                                      _ decide: @Sendable (M) async throws -> IntentBridge.Decision) async throws {
        switch try await decide(item.message) {
        case .plan(let plan):
            try await bus.publish(plan, to: StreamName.plan)
        case .refuse(let reason, let detail):
            let fields = item.message.encoded()
            try await bus.publish(fields: BusEvent(.intentRejected, at: clock.now(), [
                "intent_id": fields["intent_id"] ?? "", "symbol": fields["symbol"] ?? "", "action": fields["action"] ?? "",
                "error": reason.word, "detail": detail,
            ]).fields, to: StreamName.intentRejected)
            logger.info("intent refused", metadata: ["intent": "\(fields["intent_id"] ?? "")", "reason": "\(reason.word)", "detail": "\(detail)"])
        }
        try await consumer.acknowledge(item.id)
        progress.processed(at: clock.now())
    }

    /// The attempt at an exit's decision the executor has opened (0 when none filled nothing yet).
    private func exitAttempt(_ exit: ExitIntent) async throws -> Int {
        guard let decision = IntentBridge.decision(for: exit) else { return 0 }
        return try await store.get(StateKey.exitAttempt(decision.planID)).flatMap(Int.init) ?? 0
    }

    /// Reads what the bridge needs to know of a symbol now, with the attempt of `exit`'s decision when there is one.
    ///
    /// One snapshot: on Redis each read is a round trip on the way from an intent to its order. The open attempt's key
    /// names the next epoch, so it is read for the next epoch last seen and the one after it (a position opened since,
    /// its exits unseen here: closed by its exchange stop); when the epoch has moved further, it is read again.
    private func context(_ symbol: Symbol, rules: [Symbol: SymbolRules], exit: ExitIntent? = nil) async throws -> IntentBridge.Context {
        let guess = epochs.next(symbol)
        let exitDecision = exit.flatMap(IntentBridge.decision(for:))
        var keys = [StateKey.marketState(symbol), StateKey.account, StateKey.position(symbol), StateKey.openPauses, StateKey.epoch(symbol),
                    StateKey.openAttempt(symbol, guess), StateKey.openAttempt(symbol, guess.next)]
        if let exitDecision { keys.append(StateKey.exitAttempt(exitDecision.planID)) }
        let snapshot = try await store.snapshot(keys)
        let last = try snapshot.string(StateKey.epoch(symbol)).flatMap(UInt64.init).flatMap(PositionEpoch.init(rawValue:))
        let next = last?.next ?? .first
        epochs.saw(next, for: symbol)
        let attempt = next == guess || next == guess.next
            ? try snapshot.string(StateKey.openAttempt(symbol, next)).flatMap(Int.init) ?? 0
            : try await store.get(StateKey.openAttempt(symbol, next)).flatMap(Int.init) ?? 0
        let market = MarketStateHash(fields: try snapshot.fields(StateKey.marketState(symbol)))
        let held = try snapshot.fields(StateKey.position(symbol))
        let position = held.isEmpty ? nil : try? PositionRecord.decode(held)
        var context = IntentBridge.Context(
            rules: rules[symbol], price: market.price, priceAsOf: market.asOf, account: AccountWindows(fields: try snapshot.fields(StateKey.account)),
            nextEpoch: next, attempt: attempt, position: position, now: clock.now())
        context.openPauses = OpenPauses(fields: try snapshot.fields(StateKey.openPauses))
        if let exitDecision { context.exitAttempt = try snapshot.string(StateKey.exitAttempt(exitDecision.planID)).flatMap(Int.init) ?? 0 }
        return context
    }
}
