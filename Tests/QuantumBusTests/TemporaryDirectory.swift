import Foundation

/// A fresh directory under the system temporary directory, removed when the body ends.
enum TemporaryDirectory {
    /// Runs `body` with a new empty directory and removes it afterwards, whether `body` throws or not.
    static func with<T>(_ body: (URL) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("quantum-bus-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(url)
    }
}
