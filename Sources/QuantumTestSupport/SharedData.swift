import Foundation

/// Locates the real market data in `../shared/data` beside the project root (never copied into the project).
public enum SharedData {
    /// The project root, found from this source file's path.
    public static var projectRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared/data`, or the directory named by `QUANTUM_SHARED_DATA`.
    public static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["QUANTUM_SHARED_DATA"] {
            return URL(fileURLWithPath: override)
        }
        return projectRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }

    /// A file under the shared data directory; throws a clear error if it is missing.
    public static func file(_ relativePath: String) throws -> URL {
        let url = directory.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw SharedDataError(path: url.path)
        }
        return url
    }

    /// Close prices of a kline CSV (`open_time,open,high,low,close,volume`), at most `limit` rows.
    public static func closes(_ relativePath: String, limit: Int = .max) throws -> [String] {
        let text = try String(contentsOf: try file(relativePath), encoding: .utf8)
        var closes: [String] = []
        for line in text.split(separator: "\n").dropFirst() {
            if closes.count >= limit { break }
            let columns = line.split(separator: ",")
            if columns.count >= 5 { closes.append(String(columns[4])) }
        }
        return closes
    }
}

/// The shared data directory is missing a file the test needs.
public struct SharedDataError: Error, CustomStringConvertible {
    public var path: String
    public var description: String { "shared data file missing: \(path) (expected ../shared/data beside the project root)" }
}
