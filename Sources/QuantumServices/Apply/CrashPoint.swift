#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named points of the executor where crash tests kill the process (a real SIGKILL, no clean-up).
///
/// Active only when the environment variable `QUANTUM_CRASH_AT` names the point: the crash tests run
/// the apply-layer as a child process with it set, and prove that a restart resumes without a second
/// order or a second result. Unset (always, in operation) it does nothing.
enum CrashPoint: String, Sendable {
    /// The order is journaled `SUBMITTING`; nothing has been sent.
    case afterJournal = "after_journal"
    /// The order is filled on the exchange; the fill is not yet applied and no result published.
    case afterFill = "after_fill"
    /// The fill is applied and the journal terminal; the result is not yet published.
    case beforePublish = "before_publish"

    private static let armed: CrashPoint? = getenv("QUANTUM_CRASH_AT").flatMap { CrashPoint(rawValue: String(cString: $0)) }

    /// Kills this process with SIGKILL if this point is armed.
    func reached() {
        guard Self.armed == self else { return }
        kill(getpid(), SIGKILL)
    }
}
