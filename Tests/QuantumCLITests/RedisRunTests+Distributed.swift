import Foundation
import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumRedis
import QuantumServices
import QuantumSim
import QuantumTestSupport
import Testing

/// Distributed mode as deployed: every service in a process of its own (`quantum service NAME --redis URL`), on one
/// Redis, against a Binance-compatible exchange on loopback. Intents arrive as a strategy would write them; the
/// apply-layer is SIGKILLed twice and restarted. Judged by the exchange's own records: no client order id fills twice,
/// no position is left without its stop, every plan has its result and every intent its answer.
/// In the Redis runs' serialized suite: the whole-system runs on Redis go one after another, so their child processes
/// (seven here) never start together and starve the suites with real-time deadlines that run beside them.
extension RedisRunTests {
    static let symbols = [Symbol(rawValue: "BTCUSDT")!, Symbol(rawValue: "ETHUSDT")!]
    static let key = SimulatorSetup.defaultCredential.apiKey

    @Test(.timeLimit(.minutes(4))) func everyServiceInItsOwnProcessOnRedisSurvivesTheExecutorKilledTwice() async throws {
        let redis = try await RedisServerProcess.start(.init(appendOnly: true, appendFsync: "always"))
        let client = RedisClient(configuration: RedisClient.Configuration(host: redis.host, port: redis.port))
        var setup = SimulatorSetup()
        setup.market = .synthetic(seed: 23)
        setup.symbols = Self.symbols
        let host = try setup.makeHost(clock: SystemEpochClock())
        let exchange = try await LoopbackExchange.start(host: host)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-distributed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var children: [String: ChildProcess] = [:]
        do {
            let credential = SimulatorSetup.defaultCredential
            func start(_ service: String, life: Int = 0) throws -> ChildProcess {
                try ChildProcess(["service", service, "--redis", redis.url, "--venue", exchange.baseURL, "--api-key", credential.apiKey,
                                  "--api-secret", credential.secretKey, "--symbols", "BTCUSDT,ETHUSDT", "--churn-limit", "10000",
                                  "--max-consecutive-losses", "1000", "--log-level", "warning"],
                                 logPath: directory.appendingPathComponent("\(service)-\(life).log").path)
            }
            // The executor first (it stops last), then the rest; no signal-bot: this test is the strategy.
            for service in ["apply-layer", "intent-bridge", "market-state", "exit-brain", "harvest", "health-monitor"] {
                children[service] = try start(service)
            }
            let log = RedisEventLog(client: client)
            let store = RedisStateStore(client: client)

            // Groups start at the stream's tail (fresh events only): intents count from when the readers are there.
            let ready = ContinuousClock.now
            while ContinuousClock.now - ready < .seconds(60) {
                let bridge = try await log.groups(StreamName.tradeIntent).contains { $0.name == GroupName.intentBridge }
                let exits = try await log.groups(StreamName.exitIntent).contains { $0.name == GroupName.intentBridge }
                let executor = try await log.groups(StreamName.plan).contains { $0.name == GroupName.applyLayer }
                if bridge, exits, executor { break }
                try await Task.sleep(for: .milliseconds(100))
            }

            // Intents for 45 s: an open when a symbol is flat, a close a few seconds after it is held.
            var intents: Set<String> = []
            var kills = 0
            let begin = ContinuousClock.now
            var heldSince: [Symbol: ContinuousClock.Instant] = [:]
            var sequence = 0
            while ContinuousClock.now - begin < .seconds(45) {
                let now = SystemEpochClock().now()
                let marks = await host.inspect { desk in Self.symbols.map { desk.engine.markets[$0]?.mark } }
                for (symbol, mark) in zip(Self.symbols, marks) {
                    guard let mark else { continue }
                    sequence += 1
                    let held = try await store.fields(StateKey.position(symbol))
                    if held.isEmpty {
                        heldSince[symbol] = nil
                        let intent = TradeIntent(intentID: "t-\(sequence)", symbol: symbol, direction: sequence % 3 == 0 ? .short : .long,
                                                 confidence: 0.7, strategy: "distributed-test", referencePrice: mark,
                                                 stopLoss: try mark.scaled(by: sequence % 3 == 0 ? 103 : 97, over: 100),
                                                 takeProfit: try mark.scaled(by: sequence % 3 == 0 ? 95 : 105, over: 100), createdAt: now)
                        _ = try await log.append(StreamName.tradeIntent, fields: intent.encoded())
                        intents.insert(intent.intentID)
                    } else if let since = heldSince[symbol] {
                        guard ContinuousClock.now - since > .seconds(4), let record = try? PositionRecord.decode(held) else { continue }
                        let exit = ExitIntent(intentID: "x-\(sequence)", symbol: symbol, action: .close, epoch: record.epoch, reason: .manual,
                                              source: .manual, createdAt: now)
                        _ = try await log.append(StreamName.exitIntent, fields: exit.encoded())
                        intents.insert(exit.intentID)
                        heldSince[symbol] = ContinuousClock.now
                    } else {
                        heldSince[symbol] = ContinuousClock.now
                    }
                }
                if kills < 2, ContinuousClock.now - begin > .seconds(12 + 16 * kills) {
                    children["apply-layer"]?.kill(SIGKILL)
                    _ = await children["apply-layer"]?.exit()
                    kills += 1
                    children["apply-layer"] = try start("apply-layer", life: kills)
                }
                try await Task.sleep(for: .milliseconds(700))
            }

            // Every intent answered (a plan or a refusal), every plan its result, nothing in flight.
            let calm = ContinuousClock.now
            var unanswered: Set<String> = intents
            var unresolved: Set<String> = []
            while ContinuousClock.now - calm < .seconds(60) {
                let plans = try await log.range(StreamName.plan, from: .zero, to: .max, count: 100_000)
                let refused = try await log.range(StreamName.intentRejected, from: .zero, to: .max, count: 100_000)
                let results = Set(try await log.range(StreamName.result, from: .zero, to: .max, count: 100_000).compactMap { $0.fields["plan_id"] })
                unanswered = intents.subtracting(plans.compactMap { $0.fields["intent_id"] }).subtracting(refused.compactMap { $0.fields["intent_id"] })
                unresolved = Set(plans.compactMap { $0.fields["plan_id"] }).subtracting(results)
                let idle = try await store.fields(StateKey.inFlight).isEmpty
                if unanswered.isEmpty, unresolved.isEmpty, idle { break }
                try await Task.sleep(for: .milliseconds(250))
            }
            try await Task.sleep(for: .seconds(2))  // one protection-monitor period past the last fill
            let (orders, algos, positions) = await host.inspect { desk in
                let account = desk.engine.account(Self.key)
                return (account.map { Array($0.orders.values) } ?? [], account?.openAlgoOrders() ?? [], (try? desk.engine.positions(Self.key)) ?? [])
            }
            let logs = children.keys.sorted().map { "\($0): \(children[$0]!.output.suffix(600))" }.joined(separator: "\n")

            let filled = orders.filter { $0.executedQuantity.isPositive && $0.clientOrderID.hasPrefix(ClientOrderID.prefix) }
            print("distributed on Redis: \(kills) kills, \(intents.count) intents, \(orders.count) orders, \(filled.count) fills")
            #expect(kills == 2)
            #expect(filled.count >= 6, "only \(filled.count) fills\n\(logs)")
            let twice = Dictionary(grouping: filled, by: \.clientOrderID).filter { $0.value.count > 1 }.keys.sorted()
            #expect(twice.isEmpty, "filled more than once: \(twice)")
            for position in positions where !position.quantity.isZero {
                #expect(algos.contains { $0.symbol == position.symbol && $0.closePosition }, "\(position.symbol) is left without a stop")
            }
            #expect(unanswered.isEmpty, "intents with no plan and no refusal: \(unanswered.sorted())\n\(logs)")
            #expect(unresolved.isEmpty, "plans without a result: \(unresolved.sorted())\n\(logs)")
        } catch {
            Issue.record("\(error)")
        }
        for child in children.values where child.process.isRunning { child.kill(SIGTERM) }
        for child in children.values { _ = await child.exit() }
        await exchange.stop()
        await client.shutdown()
        await redis.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
