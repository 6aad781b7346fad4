import Synchronization

/// Runs `body` and returns its value, or `nil` when `limit` of real time passes first.
///
/// For I/O whose own timeout cannot be trusted to fire (a connection a peer never answers, a server that
/// never finishes draining): the caller gets control back on time. The body is cancelled when the limit
/// passes or the caller is cancelled, but not awaited, so one that ignores cancellation runs on detached.
public func withHardDeadline<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async -> T) async -> T? {
    let once = FirstOutcome()
    let tasks = Mutex<[Task<Void, Never>]>([])
    return await withTaskCancellationHandler {
        await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            let work = Task {
                let value = await body()
                if once.claim() { continuation.resume(returning: value) }
            }
            let timer = Task {
                try? await Task.sleep(for: limit)
                if once.claim() {
                    work.cancel()
                    continuation.resume(returning: nil)
                }
            }
            tasks.withLock { $0 = [work, timer] }
        }
    } onCancel: {
        for task in tasks.withLock({ $0 }) { task.cancel() }
    }
}

/// Lets exactly one of several racers report an outcome.
public final class FirstOutcome: Sendable {
    private let taken = Mutex(false)

    public init() {}

    /// `true` for the first caller only.
    public func claim() -> Bool {
        taken.withLock { taken in
            defer { taken = true }
            return !taken
        }
    }
}
