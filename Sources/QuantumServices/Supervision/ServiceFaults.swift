import QuantumCore
import Synchronization

/// Crashes a supervised service on request: fire drills in a running system and the tests that prove recovery.
///
/// A crash ends the service's run with an error, exactly as a bug would; its supervisor then keeps it down
/// for the requested downtime (a process that takes that long to come back) before its usual backoff.
public final class ServiceFaults: Sendable {
    private let channels = Mutex<[ServiceName: (stream: AsyncStream<Duration>, continuation: AsyncStream<Duration>.Continuation)]>([:])

    public init() {}

    /// Crashes `service` now (or at its next start, when it is not running); it stays down `downtime`.
    public func crash(_ service: ServiceName, downFor downtime: Duration = .zero) {
        channel(service).continuation.yield(downtime)
    }

    /// Waits for the next crash requested for `service`; nil when the waiting task is cancelled.
    func nextCrash(of service: ServiceName) async -> Duration? {
        var iterator = channel(service).stream.makeAsyncIterator()
        return await iterator.next()
    }

    private func channel(_ service: ServiceName) -> (stream: AsyncStream<Duration>, continuation: AsyncStream<Duration>.Continuation) {
        channels.withLock { channels in
            if let channel = channels[service] { return channel }
            let channel = AsyncStream.makeStream(of: Duration.self)
            channels[service] = channel
            return channel
        }
    }
}

/// The error an injected crash ends a service with.
public struct InjectedCrash: Error, CustomStringConvertible {
    public var downtime: Duration
    public var description: String { "injected crash (down for \(downtime))" }
}
