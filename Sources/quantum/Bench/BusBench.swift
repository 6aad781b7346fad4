import ArgumentParser
import Foundation
import QuantumBus
import QuantumCore
import QuantumRedis

/// `quantum bench bus --redis URL`: messages per second through the Redis bus, as the services use it and pipelined.
///
/// Three figures on a namespace of its own (the server is left as it was): appends through the event log from
/// concurrent writers (one script call each), raw `XADD`s pipelined in batches (what the connection carries), and
/// delivery plus acknowledgement through a consumer group in batches.
struct BusBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bus", abstract: "Redis bus messages per second: event-log appends, pipelined XADD, group delivery + ack.")

    @Option(help: "Redis URL (redis:// or rediss://).") var redis: String
    @Option(help: "Messages per figure.") var messages = 100_000
    @Option(help: "Commands per pipeline, and entries per read.") var batch = 200
    @Option(help: "Concurrent writers and connections.") var concurrency = 8

    func validate() throws {
        do { _ = try RedisURL(redis) } catch { throw ValidationError("--redis: \(error)") }
        guard (1...10_000_000).contains(messages), (1...10_000).contains(batch), (1...256).contains(concurrency) else {
            throw ValidationError("--messages 1…10000000, --batch 1…10000, --concurrency 1…256")
        }
    }

    func run() async throws {
        let client = RedisClient(configuration: try RedisClient.Configuration(url: redis, poolSize: concurrency))
        let names = RedisBusNames(namespace: "bench-\(UUID().uuidString.prefix(8)):")
        let log = RedisEventLog(client: client, clock: SystemEpochClock(), names: names)
        let fields = ["type": "trade.intent", "v": "1", "symbol": "BTCUSDT", "side": "LONG", "confidence": "0.72", "ts": "1750000000000"]
        let clock = ContinuousClock()
        do {
            // 0. One call at a time, as the order path pays its round trips: a bare PING, and a state snapshot of the
            //    seven keys an open's guard reads.
            let store = RedisStateStore(client: client, clock: SystemEpochClock(), names: names)
            let guardKeys = ["quantum:apply:inflight", "quantum:guard:kill_switch", "quantum:guard:symbol_halt:BTCUSDT",
                             "quantum:marketstate:BTCUSDT", "quantum:guard:unprotected", "quantum:guard:exit_path", "quantum:guard:open_pause"]
            var pings = LatencySample()
            var snapshots = LatencySample()
            for index in 0..<min(messages, 20_000) {
                var before = clock.now
                _ = try await client.send("PING")
                if index >= 100 { pings.record(clock.now - before) }
                before = clock.now
                _ = try await store.snapshot(guardKeys)
                if index >= 100 { snapshots.record(clock.now - before) }
            }
            print("one call at a time: PING \(pings.summary)")
            print("one call at a time: state snapshot of 7 keys \(snapshots.summary)")

            // 1. The event log's append, as every service publishes: one script call per message, writers side by side.
            let stream = "quantum:stream:bench"
            try await log.createGroup(stream, group: "bench", start: .beginning)
            let perWriter = messages / concurrency
            var started = clock.now
            let sample = try await withThrowingTaskGroup(of: LatencySample.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        var sample = LatencySample()
                        for _ in 0..<perWriter {
                            let before = clock.now
                            _ = try await log.append(stream, fields: fields)
                            sample.record(clock.now - before)
                        }
                        return sample
                    }
                }
                var all = LatencySample()
                for try await part in group { all.merge(part) }
                return all
            }
            var elapsed = clock.now - started
            print("append (event log, \(concurrency) writers): \(sample.count) in \(BenchFormat.seconds(elapsed)) s = \(BenchFormat.rate(sample.count, elapsed)) msgs/s; \(sample.summary)")

            // 2. Pipelined XADD on each connection: what the client and the server carry.
            let raw = names.key("quantum:stream:bench.raw")
            var arguments: [RedisArgument] = [.string(raw), "*"]
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) { arguments += [.string(name), .string(value)] }
            let command = RedisCommand("XADD", arguments)
            let batches = max(1, messages / batch / concurrency)
            started = clock.now
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<concurrency {
                    group.addTask {
                        var count = 0
                        for _ in 0..<batches {
                            let replies = try await client.pipeline(Array(repeating: command, count: batch))
                            for reply in replies { if case .failure(let error) = reply { throw error } }
                            count += replies.count
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            elapsed = clock.now - started
            print("XADD pipelined (\(batch) per pipeline, \(concurrency) connections): \(sent) in \(BenchFormat.seconds(elapsed)) s = \(BenchFormat.rate(sent, elapsed)) msgs/s")

            // 3. Delivery and acknowledgement through the group, a batch at a time, as the services consume.
            started = clock.now
            var consumed = 0
            var reads = LatencySample()
            while consumed < sample.count {
                let before = clock.now
                let deliveries = try await log.readNew(stream, group: "bench", consumer: "bench-1", count: batch, wait: nil)
                if deliveries.isEmpty { break }
                try await log.acknowledge(stream, group: "bench", ids: deliveries.map(\.entry.id))
                reads.record(clock.now - before)
                consumed += deliveries.count
            }
            elapsed = clock.now - started
            print("readNew + acknowledge (\(batch) per read): \(consumed) in \(BenchFormat.seconds(elapsed)) s = \(BenchFormat.rate(consumed, elapsed)) msgs/s; per batch \(reads.summary)")
        } catch {
            await cleanUp(client, names)
            throw error
        }
        await cleanUp(client, names)
    }

    /// Deletes the bench's keys.
    private func cleanUp(_ client: RedisClient, _ names: RedisBusNames) async {
        _ = try? await client.send(RedisCommand("EVAL", [
            "for _, k in ipairs(redis.call('KEYS', ARGV[1] .. '*')) do redis.call('DEL', k) end return 0", 0, .string(names.namespace),
        ]))
        await client.shutdown()
    }
}
