import Foundation
import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumRedis
import QuantumServices
import QuantumSim
import QuantumTestSupport
import Synchronization
import Testing

/// The order path under fire: the executor (`quantum service apply-layer`, a real process) trades two symbols on
/// the paper exchange while the exchange drops and garbles replies, fails after execution, storms with 429s,
/// loses user events, delays placements, answers NEW and cuts its streams — and the executor is SIGKILLed and
/// restarted on the same state every few seconds, on each bus backend (a SQLite state directory; Redis). Judged by the
/// exchange's own records: no client order id fills twice, no position grows past one entry, none is without its stop
/// for more than 3 s, none is left without one.
@Suite(.serialized, .timeLimit(.minutes(6))) struct KilledTraderTests {
    static let symbols = [Symbol(rawValue: "BTCUSDT")!, Symbol(rawValue: "ETHUSDT")!]
    /// The size of one entry per symbol: no position may ever be larger.
    static let entry: [Symbol: Quantity] = [symbols[0]: Quantity("0.002")!, symbols[1]: Quantity("0.05")!]
    static let key = SimulatorSetup.defaultCredential.apiKey

    /// What the bridge would do, from the executor's own state: open the next epoch when flat, close it when held.
    struct Driver {
        let log: any EventLog
        let store: any StateStore
        var rng: SplitMix64
        var plansSent: Set<String> = []

        mutating func step(_ symbol: Symbol, mark: Price, now: EpochMillis) async throws {
            try await store.setFields(StateKey.marketState(symbol), ["price": mark.description, "as_of": String(now.rawValue)])
            // One plan of a symbol at a time, as the bridge's in-flight check would have it; now and then a repeat.
            let busy = try await store.fields(StateKey.inFlight).values.contains(symbol.rawValue)
            if busy, rng.next() % 4 != 0 { return }
            let held = try await store.fields(StateKey.position(symbol))
            let epoch = PositionEpoch(rawValue: try await store.get(StateKey.epoch(symbol)).flatMap(UInt64.init) ?? 0) ?? .first
            let plan: Plan
            if held.isEmpty {
                let next = try await store.get(StateKey.epoch(symbol)).flatMap(UInt64.init).map { PositionEpoch(rawValue: $0 + 1)! } ?? .first
                let attempt = Int(try await store.get(StateKey.openAttempt(symbol, next)) ?? "0") ?? 0
                let identity = PlanIdentity.open(symbol, .long, next, attempt: attempt)
                let quantity = KilledTraderTests.entry[symbol]!
                let notional = try mark.notional(of: quantity)
                let order = OpenOrder(direction: .long, quantity: quantity, referencePrice: mark, notional: notional,
                                      margin: try notional.margin(at: Leverage(rawValue: 5)!), leverage: Leverage(rawValue: 5)!,
                                      stopLoss: try mark.scaled(by: 97, over: 100), takeProfit: try mark.scaled(by: 105, over: 100), strategy: "chaos")
                plan = Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: next, order: .open(order),
                            source: .signalBot, intentID: "chaos-\(identity.planID)", expiresAt: now.advanced(by: .seconds(60)), createdAt: now)
            } else {
                let decision = PlanIdentity.close(symbol, epoch)
                let attempt = Int(try await store.get(StateKey.exitAttempt(decision.planID)) ?? "0") ?? 0
                let identity = decision.attempt(attempt)
                plan = Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: symbol, epoch: epoch,
                            order: .close(position: .long, reason: .manual, killScore: nil), source: .manual, intentID: "chaos-\(identity.planID)",
                            expiresAt: now.advanced(by: .seconds(120)), createdAt: now)
            }
            _ = try await log.append(StreamName.plan, fields: plan.encoded())
            plansSent.insert(plan.planID)
        }
    }

    /// A fault of the exchange, drawn from the seed.
    static func fault(_ rng: inout SplitMix64, _ host: ExchangeHost) async {
        let kind = rng.next() % 10
        if kind == 9 {
            _ = await host.disconnectAll()
            return
        }
        await host.updateFaults { plan in
            plan = FaultPlan()
            switch kind {
            case 0: plan.droppedResponses = 2
            case 1: plan.failedAfterExecution = 2; plan.serverErrorStatus = [502, 503, 408][Int(rng.next() % 3)]
            case 2: plan.garbledResponses = 2
            case 3: plan.rateLimitStorm = 5
            case 4: plan.droppedUserEvents = 5
            case 5: plan.delayedPlacements = 2; plan.placementDelay = .seconds(12)
            case 6: plan.latency = .milliseconds(300)
            case 7: plan.marketRepliesNew = true
            default: plan.serverErrors = 3
            }
        }
    }

    /// Where the executor's bus and state live in a run.
    enum Backend: String, CaseIterable, Sendable {
        case sqlite
        case redis

        /// How long the executor is killed and restarted under faults.
        var fire: Duration { self == .sqlite ? .seconds(60) : .seconds(40) }
    }

    @Test(arguments: Backend.allCases)
    func Fault_aTraderKilledEveryFewSecondsUnderExchangeFaultsNeverFillsTwiceNorLeavesAPositionUnprotected(_ backend: Backend) async throws {
        let redis = backend == .redis ? try await RedisServerProcess.start(.init(appendOnly: true, appendFsync: "always")) : nil
        let client = redis.map { RedisClient(configuration: RedisClient.Configuration(host: $0.host, port: $0.port)) }
        do {
            try await fire(backend, redis: redis, client: client)
        } catch {
            await client?.shutdown()
            await redis?.shutdown()
            throw error
        }
        await client?.shutdown()
        await redis?.shutdown()
    }

    private func fire(_ backend: Backend, redis: RedisServerProcess?, client: RedisClient?) async throws {
        var setup = SimulatorSetup()
        setup.market = .synthetic(seed: 16)
        setup.symbols = Self.symbols
        let host = try setup.makeHost(clock: SystemEpochClock())
        let exchange = try await LoopbackExchange.start(host: host)
        defer { Task { await exchange.stop() } }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-killed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let credential = SimulatorSetup.defaultCredential
        let bus = redis.map { ["--redis", $0.url] } ?? ["--state", directory.path]
        let arguments = ["service", "apply-layer"] + bus + ["--venue", exchange.baseURL, "--api-key", credential.apiKey,
                         "--api-secret", credential.secretKey, "--symbols", "BTCUSDT,ETHUSDT", "--churn-limit", "10000",
                         "--max-consecutive-losses", "1000", "--exit-deadline", "60s", "--log-level", "warning"]
        var driver: Driver
        if let client {
            driver = Driver(log: RedisEventLog(client: client), store: RedisStateStore(client: client), rng: SplitMix64(seed: 16))
        } else {
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("quantum.sqlite").path)
            driver = Driver(log: SQLiteEventLog(database: database), store: SQLiteStateStore(database: database), rng: SplitMix64(seed: 16))
        }
        try await driver.log.createGroup(StreamName.plan, group: GroupName.applyLayer, start: .beginning)
        var rng = SplitMix64(seed: 2_026)

        // The largest position the exchange ever held, per symbol, sampled throughout.
        let largest = LargestPositions()
        let watching = Task {
            while !Task.isCancelled {
                let rows = await host.inspect { desk in (try? desk.engine.positions(Self.key)) ?? [] }
                for row in rows { largest.note(row.symbol, (try? row.quantity.magnitude()) ?? .zero) }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        defer { watching.cancel() }

        var kills = 0
        var child = try ChildProcess(arguments, logPath: directory.appendingPathComponent("run-0.log").path)
        let start = ContinuousClock.now
        var nextKill = start + .seconds(6)
        var nextFault = start + .seconds(2)
        while ContinuousClock.now - start < backend.fire {
            let now = SystemEpochClock().now()
            let marks = await host.inspect { desk in Self.symbols.map { desk.engine.markets[$0]?.mark } }
            for (symbol, mark) in zip(Self.symbols, marks) {
                if let mark { try await driver.step(symbol, mark: mark, now: now) }
            }
            if ContinuousClock.now >= nextFault {
                await Self.fault(&rng, host)
                nextFault = ContinuousClock.now + .milliseconds(1_500 + Int64(rng.next() % 2_000))
            }
            if ContinuousClock.now >= nextKill {
                child.kill(SIGKILL)
                _ = await child.exit()
                kills += 1
                try await Task.sleep(for: .milliseconds(Int64(rng.next() % 1_000)))
                child = try ChildProcess(arguments, logPath: directory.appendingPathComponent("run-\(kills).log").path)
                nextKill = ContinuousClock.now + .milliseconds(5_000 + Int64(rng.next() % 4_000))
            }
            try await Task.sleep(for: .milliseconds(400))
        }

        // Calm: no more faults; the last executor finishes what is in flight and the monitor checks every position.
        await host.updateFaults { $0 = FaultPlan() }
        // Done when every plan sent has its result (the last executor may still be starting when the fire stops).
        let calm = ContinuousClock.now
        func answered() async throws -> Set<String> {
            Set(try await driver.log.range(StreamName.result, from: .zero, to: .max, count: 100_000).compactMap { $0.fields["plan_id"] })
        }
        while ContinuousClock.now - calm < .seconds(90) {
            let done = try await driver.plansSent.isSubset(of: answered())
            let idle = try await driver.store.fields(StateKey.inFlight).isEmpty
            if done, idle { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await Task.sleep(for: .seconds(3))
        let (orders, algos, positions, longest) = await host.inspect { desk in
            let account = desk.engine.account(Self.key)
            return (account.map { Array($0.orders.values) } ?? [], account?.openAlgoOrders() ?? [],
                    (try? desk.engine.positions(Self.key)) ?? [], desk.engine.protectionAudit(Self.key)?.longest(at: SystemEpochClock().now()) ?? 0)
        }
        child.kill(SIGTERM)
        _ = await child.exit()
        let logs = (0...kills).compactMap { try? String(contentsOf: directory.appendingPathComponent("run-\($0).log"), encoding: .utf8) }
            .joined(separator: "\n").suffix(3_000)

        // The run did trade, through the kills.
        let filled = orders.filter { $0.executedQuantity.isPositive && $0.clientOrderID.hasPrefix(ClientOrderID.prefix) }
        print("killed trader (\(backend.rawValue)): \(kills) kills, \(driver.plansSent.count) plans, \(orders.count) orders, \(filled.count) fills, longest unprotected \(longest) ms")
        #expect(kills >= 5)
        #expect(filled.count >= 10, "only \(filled.count) fills; log tail:\n\(logs)")
        // No client order id filled twice.
        let byID = Dictionary(grouping: filled, by: \.clientOrderID)
        let twice = byID.filter { $0.value.count > 1 }.keys.sorted()
        #expect(twice.isEmpty, "filled more than once: \(twice)")
        // No position ever grew past one entry.
        for symbol in Self.symbols {
            #expect(largest.largest(symbol) <= Self.entry[symbol]!, "\(symbol) reached \(largest.largest(symbol))")
        }
        // Never without a stop for more than 3 s, by the exchange's own clock; none left without one.
        #expect(longest <= 3_000, "a position went \(longest) ms without its stop")
        for position in positions where !position.quantity.isZero {
            #expect(algos.contains { $0.symbol == position.symbol && $0.closePosition }, "\(position.symbol) is left without a stop")
        }
        // Every plan the driver sent has its result.
        let results = try await driver.log.range(StreamName.result, from: .zero, to: .max, count: 100_000).compactMap { $0.fields["plan_id"] }
        let unanswered = driver.plansSent.subtracting(results)
        var state: [String] = []
        if !unanswered.isEmpty {
            let pending = try await driver.log.pending(StreamName.plan, group: GroupName.applyLayer)
            state.append("pending plans: \(pending.map { "\($0.id) \($0.consumer) ×\($0.deliveryCount)" })")
            state.append("in flight: \(try await driver.store.fields(StateKey.inFlight))")
            for planID in unanswered.sorted() {
                state.append("\(planID) journal: \(try await driver.store.fields(StateKey.journal(planID)))")
            }
        }
        #expect(unanswered.isEmpty, "plans without a result: \(unanswered.sorted())\n\(state.joined(separator: "\n"))\nlog tail:\n\(logs)")
    }
}

/// The largest absolute position seen per symbol.
final class LargestPositions: Sendable {
    private let seen = Mutex<[Symbol: Quantity]>([:])

    func note(_ symbol: Symbol, _ quantity: Quantity) {
        seen.withLock { $0[symbol] = max($0[symbol] ?? .zero, quantity) }
    }

    func largest(_ symbol: Symbol) -> Quantity { seen.withLock { $0[symbol] ?? .zero } }
}
