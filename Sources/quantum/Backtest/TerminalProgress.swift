import Foundation
import QuantumCore
import QuantumBacktest
import Synchronization

/// A progress bar on standard error while bars are processed, redrawn at most ten times a second; silent when
/// standard error is not a terminal.
final class TerminalProgress: Sendable {
    private struct State {
        var done = 0
        var lastDraw: ContinuousClock.Instant?
    }

    let total: Int
    let enabled: Bool
    private let started = ContinuousClock.now
    private let state = Mutex(State())

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled && isatty(STDERR_FILENO) == 1
    }

    /// Counts `bars` more bars done and redraws when due.
    func advance(_ bars: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            state.done += bars
            if let last = state.lastDraw, now - last < .milliseconds(100), state.done < total { return nil }
            state.lastDraw = now
            return ProgressLine.render(done: state.done, total: total, elapsed: (now - started).seconds)
        }
        if let line { FileHandle.standardError.write(Data(("\r" + line).utf8)) }
    }

    /// Ends the bar's line.
    func finish() {
        guard enabled else { return }
        let done = state.withLock { $0.done }
        FileHandle.standardError.write(Data(("\r" + ProgressLine.render(done: done, total: total, elapsed: (ContinuousClock.now - started).seconds) + "\n").utf8))
    }
}
