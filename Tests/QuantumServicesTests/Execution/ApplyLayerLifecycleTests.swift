import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
import ServiceLifecycle
import Testing

/// The apply-layer's run ends (and its supervisor restarts it) when one of its parts cannot go on.
@Suite(.timeLimit(.minutes(1))) struct ApplyLayerLifecycleTests {
    /// Found by the soak: the user stream ended for good (the venue banned the IP) and the apply-layer hung — its
    /// other parts cancelled, its body still waiting for a graceful shutdown — so nothing restarted the executor.
    @Test func aUserStreamThatCannotGoOnEndsTheServiceInsteadOfHangingIt() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let resyncs = try await StreamWatcher.start(f.log, StreamName.reconcile)
        let service = f.applyLayer
        let running = Task { try await service.run() }
        _ = try await resyncs.next { $0["kind"] == "user_stream_resynced" }
        // From now on every request is answered 418, with a day-long ban: whichever of the apply-layer's requests meets
        // it first (the stream's new listen key after the drop, or a periodic account read while the test's clock runs
        // ahead), the ban cannot run out before the stream asks for its key.
        await f.venue.faults {
            $0.bans = 1_000
            $0.banLength = .seconds(86_400)
        }
        _ = await f.host.disconnectAll()
        // Time goes on (the stream's reconnect waits its backoff) until the service ends.
        let clock = f.clock
        let ticking = Task {
            while !Task.isCancelled {
                let due = await clock.sleeper(dueBy: clock.now().advanced(by: .seconds(600)))
                clock.advance(to: due)
                await Task.yield()
            }
        }
        defer { ticking.cancel() }
        // Unstructured tasks do not hear the test's cancellation (its time limit): pass it on, or a failing run hangs.
        let ended = await withTaskCancellationHandler { await running.result } onCancel: {
            running.cancel()
            ticking.cancel()
        }
        guard case .failure(let error) = ended else { Issue.record("the apply-layer returned instead of failing"); return }
        #expect("\(error)".contains("banned"), "\(error)")
    }

    /// Found by the Redis day run in CI: a ladder plan appended just before a clean stop was left pending without a
    /// result, because a graceful shutdown cancelled the plan loop at once. Plans already on the stream are finished.
    @Test func aGracefulStopFinishesThePlansAlreadyOnTheStream() async throws {
        let f = try await PipelineFixture.start()
        defer { Task { await f.stop() } }
        let beats = try await StreamWatcher.start(f.log, StreamName.heartbeat)
        let group = ServiceGroup(configuration: .init(services: [.init(service: f.applyLayer)], logger: VenueFixture.quietLogger))
        let running = Task { try await group.run() }
        _ = try await beats.next { $0["service"] == "apply-layer" && $0["status"] == "running" }
        // The producers have stopped (they shut down before the apply-layer); their last plans are on the stream.
        let plans = [try f.openPlan(PipelineFixture.btc), try f.openPlan(PipelineFixture.eth, quantity: "0.1", price: "3000")]
        for plan in plans { try await MessageBus(log: f.log).publish(plan, to: StreamName.plan) }
        await group.triggerGracefulShutdown()
        // No time passes on the test's clock: the plans are finished within the drain, woken by the lanes.
        _ = await withTaskCancellationHandler { await running.result } onCancel: { running.cancel() }
        let results = try await f.log.range(StreamName.result, from: .zero, to: .max, count: 100).compactMap { $0.fields["plan_id"] }
        #expect(Set(results) == Set(plans.map(\.planID)), "results for \(results)")
        let info = try #require(try await f.log.groups(StreamName.plan).first { $0.name == GroupName.applyLayer })
        #expect(info.pending == 0 && info.lag == 0, "pending \(info.pending), lag \(info.lag)")
    }
}
