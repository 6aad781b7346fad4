import Foundation

/// Runs CPU-heavy test work (property runs, fuzzing, parsing a month of klines) on a thread of its own.
///
/// The cooperative pool has as many threads as the machine has cores — two here. A synchronous test that computes
/// for seconds holds one of them; two at once stall every other test, and those with real-time deadlines (loopback
/// HTTP, child processes) fail. On a thread of its own the work shares the cores with the pool instead.
///
/// The closure runs outside the test's task: record expectations on what it returns, not inside it.
public enum OffPool {
    /// The value of `work`, computed on a new thread.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// The value of `work`, computed on a new thread.
    public static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}
