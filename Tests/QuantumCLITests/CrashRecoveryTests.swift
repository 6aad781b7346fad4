import Foundation
import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumServices
import QuantumSim
import QuantumTestSupport
import Testing

/// Kills the apply-layer — a real SIGKILL of a child process — between sending an order and hearing back, restarts
/// it, and checks that the exchange holds exactly one order and the bus exactly one result for the plan. (Crashes at
/// each of the executor's crash points are the soak's: `SoakCrashTests`.)
@Suite(.serialized, .timeLimit(.minutes(2))) struct CrashRecoveryTests {
    struct Bench {
        let exchange: LoopbackExchange
        let directory: URL
        let plan: Plan

        var stateArguments: [String] {
            let credential = SimulatorSetup.defaultCredential
            return ["service", "apply-layer", "--state", directory.path, "--venue", exchange.baseURL, "--api-key", credential.apiKey,
                    "--api-secret", credential.secretKey, "--symbols", "BTCUSDT", "--log-level", "info"]
        }

        func open() throws -> (SQLiteEventLog, SQLiteStateStore) {
            let database = try SQLiteDatabase(path: directory.appendingPathComponent("quantum.sqlite").path)
            return (SQLiteEventLog(database: database), SQLiteStateStore(database: database))
        }
    }

    /// An exchange on loopback (real clock, BTC at 100 000) and a state directory holding one open plan for the executor.
    func prepare() async throws -> Bench {
        let exchange = try await ManualExchange.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let now = SystemEpochClock().now()
        let identity = PlanIdentity.open(VenueFixture.btc, .long, .first)
        let price = Price("100000")!
        let quantity = Quantity("0.01")!
        let notional = try price.notional(of: quantity)
        let plan = Plan(planID: identity.planID, clientOrderID: identity.clientOrderID, symbol: VenueFixture.btc, epoch: .first,
                        order: .open(OpenOrder(direction: .long, quantity: quantity, referencePrice: price, notional: notional,
                                               margin: try notional.margin(at: Leverage(rawValue: 5)!), leverage: Leverage(rawValue: 5)!,
                                               stopLoss: Price("98000")!, takeProfit: Price("103000")!, strategy: "crash-test")),
                        source: .signalBot, intentID: "crash", expiresAt: now.advanced(by: .seconds(600)), createdAt: now)
        let bench = Bench(exchange: exchange, directory: directory, plan: plan)
        let (log, store) = try bench.open()
        try await log.createGroup(StreamName.plan, group: GroupName.applyLayer, start: .beginning)
        try await store.setFields(StateKey.marketState(VenueFixture.btc), ["price": "100000", "as_of": String(now.rawValue)])
        _ = try await log.append(StreamName.plan, fields: plan.encoded())
        return bench
    }

    /// Restarts the executor cleanly, waits for the plan's result, stops it with SIGTERM, and checks exactly-once.
    func recoverAndCheck(_ bench: Bench) async throws {
        let child = try ChildProcess(bench.stateArguments, logPath: bench.directory.appendingPathComponent("restart.log").path)
        let (log, _) = try bench.open()
        try await log.createGroup(StreamName.result, group: "crash-test", start: .beginning)
        var results: [ApplyResult] = []
        while results.isEmpty {
            for delivery in try await log.readNew(StreamName.result, group: "crash-test", consumer: "t", count: 10, wait: .seconds(30)) {
                results.append(try ApplyResult.decode(delivery.entry.fields))
            }
            if results.isEmpty, !child.process.isRunning { Issue.record("the executor ended without a result: \(child.output)"); break }
        }
        child.kill(SIGTERM)
        _ = await child.exit()
        let all = try await log.range(StreamName.result, from: .zero, to: .max, count: 100).filter { $0.fields["plan_id"] == bench.plan.planID }
        #expect(all.count == 1, "results: \(all.map(\.fields))")
        #expect(all.first?.fields["decision"] == "EXECUTED")
        let orders = await bench.exchange.host.inspect { desk in
            desk.engine.account(SimulatorSetup.defaultCredential.apiKey)?.orders.values.filter { $0.clientOrderID == bench.plan.clientOrderID.rawValue }.count ?? 0
        }
        #expect(orders == 1)
        let position = try await SQLiteStateStore(database: try SQLiteDatabase(path: bench.directory.appendingPathComponent("quantum.sqlite").path))
            .fields(StateKey.position(VenueFixture.btc))
        #expect(position["quantity"] == "0.01")
        await bench.exchange.stop()
        try? FileManager.default.removeItem(at: bench.directory)
    }

    @Test func killedBetweenSubmitAndReplyTheRestartFindsTheOrder() async throws {
        let bench = try await prepare()
        await bench.exchange.host.updateFaults { $0.delayedPlacements = 1; $0.placementDelay = .seconds(60) }
        let child = try ChildProcess(bench.stateArguments, logPath: bench.directory.appendingPathComponent("crash.log").path)
        // Wait for the order to reach the exchange (its reply is held back), then kill the executor before it hears back.
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let placed = await bench.exchange.host.requestLog.contains { $0.path == "/fapi/v1/order" && $0.clientOrderID == bench.plan.clientOrderID.rawValue }
            if placed { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        child.kill(SIGKILL)
        let end = await child.exit()
        #expect(end.signaled && end.status == SIGKILL)
        try await recoverAndCheck(bench)
    }
}
