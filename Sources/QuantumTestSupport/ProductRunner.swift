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
    public static func run(_ product: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = try path(of: product)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// An executable product the test needs was not built.
public struct ProductMissing: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "executable not built: \(path) (run `swift build` first)" }
}
