import Foundation
import QuantumTestSupport

/// A `quantum` child process the test can kill by its process id (never by name).
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let logPath: String
    private let exited: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init(_ arguments: [String], environment: [String: String] = [:], logPath: String) throws {
        self.logPath = logPath
        (exited, continuation) = AsyncStream.makeStream(of: Void.self)
        process.executableURL = try ProductRunner.path(of: "quantum")
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        let continuation = self.continuation
        process.terminationHandler = { _ in
            continuation.yield()
            continuation.finish()
        }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits for the process to end; returns its termination reason and status.
    func exit() async -> (signaled: Bool, status: Int32) {
        for await _ in exited { break }
        process.waitUntilExit()
        return (process.terminationReason == .uncaughtSignal, process.terminationStatus)
    }

    func kill(_ signal: Int32) {
        _ = Foundation.kill(pid, signal)
    }

    var output: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}
