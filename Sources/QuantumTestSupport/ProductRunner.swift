import Foundation

/// Runs an executable built by this package (next to the test bundle) and captures its output.
public enum ProductRunner {
    /// The build products directory: where `swift test` put the test bundle and the executables.
    public static var productsDirectory: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // On Linux the test runner is `<products>/<package>PackageTests.xctest`; on macOS the bundle nests deeper.
        while directory.pathExtension == "xctest" || directory.lastPathComponent == "MacOS" || directory.lastPathComponent == "Contents" {
            directory.deleteLastPathComponent()
        }
        return directory
    }

    /// The path of a built executable product; throws if it was not built.
    public static func path(of product: String) throws -> URL {
        let url = productsDirectory.appendingPathComponent(product)
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw ProductMissing(path: url.path)
        }
        return url
    }

    /// Runs a product to completion with arguments; returns exit status, stdout and stderr.
    ///
    /// Both pipes are drained at once (a child that fills one while we wait on the other would never finish), and the
    /// wait is on a thread of its own: a test blocking the cooperative pool (two threads on a 2-core machine) stalls
    /// every other test, and their real-time deadlines fail. There is no blocking variant for that reason.
    public static func run(_ product: String, _ arguments: [String], environment: [String: String]? = nil) async throws
        -> (status: Int32, stdout: String, stderr: String) {
        try await run(executable: try path(of: product), arguments, environment: environment)
    }

    /// Any program (a system tool such as chromium or systemd-analyze), waited for on a thread of its own.
    public static func run(executable: URL, _ arguments: [String], environment: [String: String]? = nil) async throws
        -> (status: Int32, stdout: String, stderr: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try execute(executable, arguments, environment: environment) })
            }
        }
    }

    /// Runs `executable` to its end on the calling thread, draining both pipes at once.
    static func execute(_ executable: URL, _ arguments: [String], environment: [String: String]?) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errData = DrainedPipe(err)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData.wait(), as: UTF8.self))
    }
}

/// A pipe read to its end on a thread of its own.
final class DrainedPipe: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    /// The whole output, once the writer closed the pipe.
    func wait() -> Data {
        done.wait()
        return data
    }
}

/// An executable product the test needs was not built.
public struct ProductMissing: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "executable not built: \(path) (run `swift build` first)" }
}
