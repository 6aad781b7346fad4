import QuantumBus
import QuantumCore
@testable import QuantumServices
import QuantumTestSupport
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
}
