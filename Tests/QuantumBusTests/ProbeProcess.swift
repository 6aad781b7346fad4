import Foundation
import Testing

/// Runs the `QuantumBusProbe` executable and kills it with SIGKILL after a number of output lines.
enum ProbeProcess {
    /// What one run of the probe printed and how it ended.
    struct Run: Sendable {
        /// Complete lines printed (a line cut short by the kill is dropped).
        var lines: [String]
        /// Whether the probe died of a signal (the SIGKILL) rather than exiting.
        var killedBySignal: Bool
        /// The exit status, or the signal number when killed.
        var status: Int32
    }

    /// The payload the probe writes for `seq` (the same formula as in `QuantumBusProbe/main.swift`).
    static func payload(_ seq: Int) -> String {
        "payload-\(seq)-" + String(repeating: "x", count: seq % 97)
    }

    /// The probe binary, built beside the test bundle (`/proc/self/exe` is the test runner on Linux).
    static func executable() throws -> URL {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let directory = exe.deletingLastPathComponent()
        let candidates = ["QuantumBusProbe", "quantum-bus-probe"].map { directory.appendingPathComponent($0) }
        let found = candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
        return try #require(
            found,
            "the probe executable is missing: looked for \(candidates.map(\.path)); build it with `swift build --build-tests`"
        )
    }

    /// Runs the probe, reads its stdout line by line and sends SIGKILL to it (by its pid) once
    /// `killAfterLines` lines have arrived; then reads what it printed before dying and reaps it.
    static func run(_ executable: URL, arguments: [String], killAfterLines: Int) async throws -> Run {
        try await withCheckedThrowingContinuation { continuation in
            // Blocking reads belong on a thread of their own, not on the cooperative pool.
            Thread.detachNewThread {
                continuation.resume(with: Result { try runBlocking(executable, arguments: arguments, killAfterLines: killAfterLines) })
            }
        }
    }

    private static func runBlocking(_ executable: URL, arguments: [String], killAfterLines: Int) throws -> Run {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let descriptor = output.fileHandleForReading.fileDescriptor
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 4_096)
        var lines: [String] = []
        var killed = false
        while true {
            // One read(2) returns what is there now (FileHandle.read(upToCount:) would wait for the whole count).
            let got = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0, errno == EINTR { continue }
            if got <= 0 { break }
            buffer.append(contentsOf: chunk[0..<got])
            while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                lines.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                buffer.removeSubrange(buffer.startIndex...newline)
            }
            if !killed, lines.count >= killAfterLines {
                kill(process.processIdentifier, SIGKILL)
                killed = true
            }
        }
        process.waitUntilExit()
        return Run(
            lines: lines, killedBySignal: process.terminationReason == .uncaughtSignal, status: process.terminationStatus
        )
    }
}
