import Logging
import QuantumCore

/// Publishes a service's heartbeat every `interval` on its clock (invariant 11).
///
/// Runs beside the service's work in the same task group, so a service whose run() ended stops
/// beating: the health monitor sees it stale within three intervals.
public struct HeartbeatEmitter: Sendable {
    public let service: ServiceName
    public let instance: String
    public let interval: Duration
    public let bus: MessageBus
    public let clock: any EpochClock
    public let progress: ServiceProgress
    public let logger: Logger

    public init(service: ServiceName, instance: String = "embedded", interval: Duration = .seconds(5), bus: MessageBus,
                clock: any EpochClock, progress: ServiceProgress, logger: Logger) {
        self.service = service
        self.instance = instance
        self.interval = interval
        self.bus = bus
        self.clock = clock
        self.progress = progress
        self.logger = logger
    }

    /// Publishes one heartbeat now.
    public func beat() async {
        let beat = progress.heartbeat(service: service, instance: instance, interval: interval, now: clock.now())
        do { try await bus.publish(beat, to: StreamName.heartbeat) } catch {
            logger.warning("heartbeat not published", metadata: ["service": "\(service.rawValue)", "error": "\(error)"])
        }
    }

    /// Beats until cancelled.
    public func run() async {
        while !Task.isCancelled {
            await beat()
            do { try await clock.sleep(for: interval) } catch { return }
        }
    }

    /// Runs `body` with heartbeats beside it; the beats stop when the body ends.
    public func alongside<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                await self.run()
                return nil
            }
            group.addTask { try await body() }
            defer { group.cancelAll() }
            while let next = try await group.next() {
                if let value = next { return value }
            }
            throw CancellationError()
        }
    }
}
