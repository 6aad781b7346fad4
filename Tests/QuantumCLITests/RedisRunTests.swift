import Foundation
import QuantumBus
import QuantumCore
import QuantumRedis
import QuantumServices
import QuantumTestSupport
import Testing

/// The whole system with Redis as its bus and state store: `quantum run --redis` against a real `redis-server`.
@Suite("quantum run on Redis", .serialized, .timeLimit(.minutes(6)))
struct RedisRunTests {
    /// A replayed market day through every service on Redis: it trades, every plan has exactly one result on
    /// `apply.result`, and after the clean stop no consumer group has anything pending.
    @Test func aDayOnRedisAnswersEveryPlanOnceAndLeavesNothingPending() async throws {
        let summaryFile = FileManager.default.temporaryDirectory.appendingPathComponent("qt-redis-\(UUID()).json")
        defer { try? FileManager.default.removeItem(at: summaryFile) }
        try await withRedis(.init(appendOnly: true, appendFsync: "everysec")) { server, client in
            let run = try await ProductRunner.run("quantum", [
                "run", "--redis", server.url, "--data", try SharedData.file("binance_um_futures/klines_1m").path,
                "--symbols", "BTCUSDT,ETHUSDT", "--speed", "1440", "--duration", "24h", "--max-consecutive-losses", "1000",
                "--dashboard-port", "0", "--progress-every", "0", "--summary-json", summaryFile.path,
            ])
            #expect(run.status == 0, "\(run.stderr.suffix(2_000))")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summaryFile)) as? [String: Any])
            let closed = try #require(summary["positions_closed"] as? Int)
            #expect(closed >= 10, "only \(closed) positions closed; \(run.stdout.suffix(1_500))")
            // Read back as an operator would, from Redis itself.
            let log = RedisEventLog(client: client)
            var letters: [String] = []
            for stream in [StreamName.tradeIntent, StreamName.exitIntent, StreamName.plan, StreamName.result, StreamName.marketState,
                           StreamName.heartbeat] {
                for entry in try await log.range(RedisEventLog.deadLetterStream(for: stream), from: .zero, to: .max, count: 100) {
                    letters.append("\(stream): \(entry.fields[DeadLetter.reasonField] ?? "?") \(entry.fields)")
                }
            }
            #expect(summary["dead_letters"] as? Int == 0, "\(letters)")

            let planEntries = try await log.range(StreamName.plan, from: .zero, to: .max, count: 1_000_000)
            let resultEntries = try await log.range(StreamName.result, from: .zero, to: .max, count: 1_000_000)
            #expect(planEntries.count >= 20, "\(planEntries.count) plans")
            // A decision has one identity whoever proposes it: the protection monitor and the exit-brain may both close
            // a breached position at the same instant. Each proposal is answered, the decision executes once.
            let proposals = Dictionary(grouping: planEntries, by: { $0.fields["plan_id"] ?? "" })
            let answers = Dictionary(grouping: resultEntries, by: { $0.fields["plan_id"] ?? "" })
            #expect(Set(answers.keys) == Set(proposals.keys), "every plan has a result, and every result a plan")
            for (planID, entries) in proposals {
                let sources = entries.map { $0.fields["source"] ?? "" }
                #expect(Set(sources).count == sources.count, "\(planID) proposed twice by one source: \(entries.map(\.id))")
                let decisions = (answers[planID] ?? []).map { $0.fields["decision"] ?? "" }
                #expect(decisions.count == entries.count, "\(planID): \(entries.count) proposals, results \(decisions)")
                #expect(decisions.filter { $0 != "DUPLICATE" }.count == 1, "\(planID) decided more than once: \(decisions)")
            }
            for stream in [StreamName.tradeIntent, StreamName.exitIntent, StreamName.plan, StreamName.result, StreamName.marketState] {
                for group in try await log.groups(stream) {
                    #expect(group.pending == 0, "\(group.name) on \(stream) left \(group.pending) pending")
                }
            }
            let positions = try await client.send(RedisCommand("KEYS", ["quantum:position:*"]))
            #expect(positions.array != nil, "positions are plain Redis keys")

            // The operator commands read the same state.
            let doctor = try await ProductRunner.run("quantum", ["doctor", "--redis", server.url, "--json"])
            #expect(doctor.stdout.contains("consumer lag"), "\(doctor.stdout.prefix(1_500)) \(doctor.stderr.suffix(500))")
        }
    }

    /// Redis stopped in the middle of a run and started again: the process stays up, the services retry and alert while
    /// it is gone, and once it is back the run carries on to its end with every plan answered exactly once. An entry
    /// written by hand with `redis-cli` that is not a valid message is dead-lettered with its reason, and the run goes on.
    @Test func aRedisOutageStopsTheWorkAndItResumesWithNothingLostOrDoubled() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qt-redis-outage-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try await withRedis(.init(appendOnly: true, appendFsync: "always")) { server, client in
            let summaryFile = directory.appendingPathComponent("summary.json")
            let child = try ChildProcess([
                "run", "--redis", server.url, "--data", try SharedData.file("binance_um_futures/klines_1m").path,
                "--symbols", "BTCUSDT,ETHUSDT", "--speed", "480", "--duration", "5h", "--max-consecutive-losses", "1000",
                "--dashboard-port", "0", "--progress-every", "0", "--summary-json", summaryFile.path,
            ], logPath: directory.appendingPathComponent("run.log").path)
            let log = RedisEventLog(client: client)
            // Trading has started: a few results are in Redis.
            let deadline = ContinuousClock.now + .seconds(180)
            while (try? await log.length(StreamName.result)) ?? 0 < 3, ContinuousClock.now < deadline, child.process.isRunning {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await log.length(StreamName.result) >= 3, "\(child.output.suffix(2_000))")
            // An operator's typo with redis-cli: an intent with no symbol, side or prices.
            let typo = try await client.send(RedisCommand("XADD", [.string(StreamName.tradeIntent), "*", "type", "trade.intent", "v", "1",
                                                                   "ts", "0", "note", "typed by hand"]))

            await server.stop()
            try await Task.sleep(for: .seconds(4))  // the outage itself, in real time
            #expect(child.process.isRunning, "the process must outlive Redis: \(child.output.suffix(2_000))")
            try await server.restart()

            let end = await child.exit()
            #expect(!end.signaled && end.status == 0, "\(child.output.suffix(3_000))")
            #expect(child.output.contains("Redis"), "the outage was logged (and so alerted)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summaryFile)) as? [String: Any])
            #expect(try #require(summary["orders_sent"] as? Int) >= (summary["fills"] as? Int ?? .max))

            // An append whose reply Redis took down with it is sent again: the plan can be on the stream twice, and its
            // second copy is answered DUPLICATE. Each plan id has exactly one decisive result, and every copy an answer.
            let plans = try await log.range(StreamName.plan, from: .zero, to: .max, count: 1_000_000).compactMap { $0.fields["plan_id"] }
            let results = try await log.range(StreamName.result, from: .zero, to: .max, count: 1_000_000)
            #expect(results.compactMap { $0.fields["plan_id"] }.sorted() == plans.sorted(), "every copy of a plan has its result")
            let decisive = results.filter { $0.fields["decision"] != ResultDecision.duplicate.rawValue }.compactMap { $0.fields["plan_id"] }
            #expect(decisive.sorted() == Set(plans).sorted(), "every plan id has exactly one decisive result")
            let letters = try await log.range(RedisEventLog.deadLetterStream(for: StreamName.tradeIntent), from: .zero, to: .max, count: 100)
            let letter = try #require(letters.compactMap { DeadLetter(fields: $0.fields) }.first, "the hand-written entry was not dead-lettered")
            #expect(letter.originalID.description == typo.string)
            #expect(letter.group == GroupName.intentBridge && !letter.reason.isEmpty, "\(letter)")
            for stream in [StreamName.tradeIntent, StreamName.exitIntent, StreamName.plan] {
                for group in try await log.groups(stream) {
                    #expect(group.pending == 0, "\(group.name) on \(stream) left \(group.pending) pending")
                }
            }
        }
    }

    @Test func aBadRedisURLIsAClearErrorAndStartsNothing() async throws {
        let run = try await ProductRunner.run("quantum", ["run", "--redis", "http://localhost:6379", "--duration", "1m"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--redis"), "\(run.stderr)")
    }

    /// Runs `body` with a fresh `redis-server` and a client of it, both shut down after, also when `body` throws.
    private func withRedis(_ options: RedisServerProcess.Options, _ body: (RedisServerProcess, RedisClient) async throws -> Void) async throws {
        let server = try await RedisServerProcess.start(options)
        let client = RedisClient(configuration: RedisClient.Configuration(host: server.host, port: server.port))
        do {
            try await body(server, client)
        } catch {
            await client.shutdown()
            await server.shutdown()
            throw error
        }
        await client.shutdown()
        await server.shutdown()
    }

}
