import QuantumCore
import ServiceLifecycle
import Synchronization

/// Runs `operation`, cancelled when a graceful shutdown begins or the caller is cancelled.
///
/// What ServiceLifecycle's `cancelWhenGracefulShutdown` does, but every task it uses stays on the caller's
/// executor: that one wakes its waiter from a task of the global pool, which a deterministic simulation (where
/// time moves only when nothing is runnable) sees as a pause of unknown length.
func untilGracefulShutdown<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task(executorPreference: TaskPlacement.executor) { try await operation() }
    return try await withTaskCancellationHandler {
        try await withGracefulShutdownHandler {
            try await task.value
        } onGracefulShutdown: {
            task.cancel()
        }
    } onCancel: {
        task.cancel()
    }
}

/// Returns when a graceful shutdown begins; throws `CancellationError` when the caller is cancelled first.
///
/// ServiceLifecycle's `gracefulShutdown()`, without a task of the global pool in between (see `untilGracefulShutdown`).
func waitForGracefulShutdown() async throws {
    let signal = ShutdownSignal()
    await withTaskCancellationHandler {
        await withGracefulShutdownHandler {
            await signal.wait()
        } onGracefulShutdown: {
            signal.fire(cancelled: false)
        }
    } onCancel: {
        signal.fire(cancelled: true)
    }
    if signal.wasCancelled { throw CancellationError() }
}

/// A one-shot signal a waiter suspends on.
private final class ShutdownSignal: Sendable {
    private struct State {
        var fired: Bool?
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.fired != nil { return true }
                state.waiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func fire(cancelled: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.fired == nil { state.fired = cancelled }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    var wasCancelled: Bool { state.withLock { $0.fired ?? false } }
}

/// Runs a service's concurrent parts until one of them fails — the error is thrown, so the supervisor restarts
/// the service — or a graceful shutdown begins (then it returns once every part has ended).
///
/// A part that fails must end the service: waiting for the graceful shutdown in the group's body instead (the usual
/// shape) leaves the body waiting for ever once a part has thrown, and the service hung and never restarted — what
/// a banned user stream did to the apply-layer.
///
/// `beforeStop` runs once a graceful shutdown has begun, while every part still runs: a service finishes there what it
/// has taken on (the apply-layer, the plans already on its stream), then the parts end.
func runParts(beforeStop: (@Sendable () async -> Void)? = nil, _ add: (inout ThrowingDiscardingTaskGroup<any Error>) -> Void) async throws {
    do {
        try await withThrowingDiscardingTaskGroup { group in
            add(&group)
            group.addTask {
                try await waitForGracefulShutdown()
                await beforeStop?()
                throw GracefulStop()
            }
        }
    } catch is GracefulStop {
        return
    }
}

/// Ends a service's parts when a graceful shutdown begins.
private struct GracefulStop: Error {}
