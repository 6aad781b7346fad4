import Logging
import QuantumVenue

extension Launch {
    /// How a start-up step waits out a venue that fails in a way that passes.
    struct StartUpRetry: Sendable {
        /// Tries in all, the first included.
        var attempts = 8
        /// The wait after the first failure; it doubles up to `longestWait`.
        var firstWait: Duration = .milliseconds(500)
        var longestWait: Duration = .seconds(8)

        /// The wait before try `attempt` (2, 3, …).
        func wait(before attempt: Int) -> Duration {
            var wait = firstWait
            for _ in 2..<max(attempt, 2) { wait = min(wait * 2, longestWait) }
            return wait
        }

        /// Runs `step` until it succeeds, fails in a way that will not pass (bad keys, a ban, hedge mode), or has used
        /// every attempt: a 503 or a cut connection while the process starts is waited out, as a supervisor restarting
        /// the process would, instead of ending it with plans left unread.
        func run<T>(_ step: String, logger: Logger, _ body: () async throws(VenueError) -> T) async throws(VenueError) -> T {
            var attempt = 1
            while true {
                do {
                    return try await body()
                } catch where error.isTransient && attempt < attempts {
                    attempt += 1
                    let wait = error.retryAfter.map { max($0, self.wait(before: attempt)) } ?? self.wait(before: attempt)
                    logger.warning("start-up: \(step) failed; trying again", metadata: [
                        "error": "\(error)", "attempt": "\(attempt)/\(attempts)", "wait": "\(wait)",
                    ])
                    do { try await Task.sleep(for: wait) } catch { throw VenueError(.halted, "start-up cancelled during \(step)") }
                }
            }
        }
    }
}
