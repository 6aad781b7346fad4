import Foundation
import Synchronization

/// A child process whose stdout lines a test can await (a server announcing its port, a run finishing).
///
/// stderr goes to a file the test can read after; the process is stopped by its process id.
public final class LineProcess: Sendable {
    public let process: Process
    public let stderrPath: String
    private let lines = Mutex<[String]>([])
    private let waiters = Mutex<[(id: UUID, predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String?, Never>)]>([])
    private let finished = Mutex(false)

    public init(_ product: String, _ arguments: [String], stderrPath: String) throws {
        let process = Process()
        process.executableURL = try ProductRunner.path(of: product)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        let out = Pipe()
        process.standardOutput = out
        self.process = process
        self.stderrPath = stderrPath
        try process.run()
        let handle = out.fileHandleForReading
        Thread.detachNewThread { [self] in
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    receive(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
            }
            if !buffer.isEmpty { receive(String(decoding: buffer, as: UTF8.self)) }
            finish()
        }
    }

    public var pid: Int32 { process.processIdentifier }

    /// Every stdout line so far.
    public var output: [String] { lines.withLock { $0 } }

    public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The first line (already printed or still to come) that satisfies `predicate`; nil if stdout ends without one,
    /// or if the wait is cancelled (the test's time limit).
    public func line(where predicate: @escaping @Sendable (String) -> Bool) async -> String? {
        if let seen = lines.withLock({ $0.first(where: predicate) }) { return seen }
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters.withLock { $0.append((id, predicate, continuation)) }
                // A line may have arrived, the output ended, or the wait been cancelled between the check and the
                // registration.
                if let seen = lines.withLock({ $0.first(where: predicate) }) {
                    resume(id, with: seen)
                } else if finished.withLock({ $0 }) || Task.isCancelled {
                    resume(id, with: nil)
                }
            }
        } onCancel: {
            resume(id, with: nil)
        }
    }

    /// Sends `signal` and waits for the process to end; its exit status.
    public func stop(_ signal: Int32 = SIGTERM) async -> Int32 {
        kill(pid, signal)
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread { [process] in
                process.waitUntilExit()
                continuation.resume(returning: process.terminationStatus)
            }
        }
    }

    private func receive(_ line: String) {
        lines.withLock { $0.append(line) }
        let ready = waiters.withLock { waiters in
            let matched = waiters.filter { $0.predicate(line) }
            waiters.removeAll { waiter in matched.contains { $0.id == waiter.id } }
            return matched
        }
        for waiter in ready { waiter.continuation.resume(returning: line) }
    }

    private func finish() {
        finished.withLock { $0 = true }
        for waiter in waiters.withLock({ list in defer { list = [] }; return list }) { waiter.continuation.resume(returning: nil) }
    }

    private func resume(_ id: UUID, with line: String?) {
        let waiter = waiters.withLock { waiters -> (id: UUID, predicate: @Sendable (String) -> Bool, continuation: CheckedContinuation<String?, Never>)? in
            guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return waiters.remove(at: index)
        }
        waiter?.continuation.resume(returning: line)
    }
}
