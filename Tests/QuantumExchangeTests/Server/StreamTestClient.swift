import Foundation
import HummingbirdWSClient
import Logging
import QuantumCore
import Testing

/// A WebSocket client for tests: frames arrive on an async sequence; `send` writes text frames.
///
/// `next(where:)` awaits a matching frame (with a deadline so a broken server fails the test instead
/// of hanging it); nothing sleeps to synchronise.
final class StreamTestClient: Sendable {
    private let frames: AsyncStream<String>
    private let outbound: AsyncStream<String>.Continuation
    private let task: Task<Void, any Error>
    private let iterator: IteratorBox

    private final class IteratorBox: @unchecked Sendable {
        var iterator: AsyncStream<String>.AsyncIterator
        init(_ iterator: AsyncStream<String>.AsyncIterator) { self.iterator = iterator }
    }

    /// Connects to `url`; returns once the connection is up (the server answered a LIST_SUBSCRIPTIONS).
    init(url: String) async throws {
        let (frames, inbound) = AsyncStream.makeStream(of: String.self)
        let (sends, outbound) = AsyncStream.makeStream(of: String.self)
        self.frames = frames
        self.outbound = outbound
        self.iterator = IteratorBox(frames.makeAsyncIterator())
        var logger = Logger(label: "stream-test-client")
        logger.logLevel = .critical
        task = Task {
            defer { inbound.finish() }
            try await WebSocketClient.connect(url: url, logger: logger) { messages, writer, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in messages.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { inbound.yield(text) }
                        }
                    }
                    group.addTask {
                        for await text in sends { try await writer.write(.text(text)) }
                    }
                    _ = try await group.next()
                    group.cancelAll()
                }
            }
        }
        send(#"{"method":"LIST_SUBSCRIPTIONS","id":999999}"#)
        _ = try await next { $0.contains("\"id\":999999") }
    }

    func send(_ text: String) { outbound.yield(text) }

    /// The next frame matching `predicate`, skipping others; fails after `timeout`.
    func next(timeout: Duration = .seconds(10), where predicate: @escaping @Sendable (String) -> Bool = { _ in true }) async throws -> String {
        let box = iterator
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                while let frame = await box.iterator.next() {
                    if predicate(frame) { return frame }
                }
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let frame = first else { throw StreamTestError.noFrame }
            return frame
        }
    }

    /// Whether the server closed the connection (the frame sequence ended) within `timeout`.
    func closed(timeout: Duration = .seconds(10)) async -> Bool {
        let box = iterator
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                while await box.iterator.next() != nil {}
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let result = await group.next() ?? false
            group.cancelAll()
            return result
        }
    }

    /// The frame as a JSON object.
    static func object(_ frame: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(frame.utf8))) as? [String: Any] ?? [:]
    }

    func close() {
        outbound.finish()
        task.cancel()
    }
}

enum StreamTestError: Error {
    case noFrame
}
