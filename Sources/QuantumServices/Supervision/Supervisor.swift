import Logging
import QuantumCore
import ServiceLifecycle
import Synchronization

/// Runs a service and restarts it with backoff when it crashes or returns unexpectedly (invariant 11).
///
/// The original's services died silently (FM-04: an exit executor down for 17 hours). Here a run()
/// that throws or returns while no shutdown was asked for is logged as an error, counted, and started
/// again after a backoff that doubles from `initialBackoff` to `maximumBackoff` and resets once a run
/// lasted `stableAfter`. A graceful shutdown or cancellation ends supervision.
public struct Supervisor: Service {
    public struct Configuration: Hashable, Sendable {
        public var initialBackoff: Duration = .milliseconds(250)
        public var maximumBackoff: Duration = .seconds(30)
        public var stableAfter: Duration = .seconds(60)

        public init() {}
    }

    public let name: ServiceName
    public let service: any Service
    public let clock: any EpochClock
    public let configuration: Configuration
    public let logger: Logger
    /// Told of every restart (the health monitor counts them to tell a crash loop) and of the clean stop.
    public let onEvent: (@Sendable (_ service: ServiceName, _ event: Event) async -> Void)?
    /// Crashes injected on request (fire drills, tests); nil in a plain run.
    public let faults: ServiceFaults?
    private let restartCount = RestartCount()

    /// What a supervisor tells its observer.
    public enum Event: Hashable, Sendable {
        /// The service failed with `error` and is started again; its `restarts`-th restart.
        case restarted(error: String, restarts: Int)
        /// The service ended because the system is shutting down.
        case stopped
    }

    public init(name: ServiceName, service: any Service, clock: any EpochClock, configuration: Configuration = Configuration(), logger: Logger,
                faults: ServiceFaults? = nil, onEvent: (@Sendable (_ service: ServiceName, _ event: Event) async -> Void)? = nil) {
        self.faults = faults
        self.name = name
        self.service = service
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.onEvent = onEvent
    }

    /// How often the service was restarted.
    public var restarts: Int { restartCount.value }

    public func run() async throws {
        var backoff = configuration.initialBackoff
        while true {
            let started = clock.now()
            let failure: String
            var downtime = Duration.zero
            do {
                try await runOnce()
                if Self.stopping { return await stopped() }
                failure = "returned"
                logger.error("service returned while the system runs; restarting", metadata: ["service": "\(name.rawValue)", "alert": "crash:\(name.rawValue)"])
            } catch {
                if Self.stopping { return await stopped() }
                failure = "\(error)"
                if let crash = error as? InjectedCrash { downtime = crash.downtime }
                logger.error("service crashed; restarting", metadata: ["service": "\(name.rawValue)", "error": "\(error)", "alert": "crash:\(name.rawValue)"])
            }
            restartCount.increment()
            await onEvent?(name, .restarted(error: failure, restarts: restartCount.value))
            if clock.now().duration(since: started) >= configuration.stableAfter { backoff = configuration.initialBackoff }
            let wait = backoff + downtime
            do {
                try await untilGracefulShutdown { try await clock.sleep(for: wait) }
            } catch {
                return await stopped()
            }
            if Self.stopping { return await stopped() }
            backoff = min(backoff * 2, configuration.maximumBackoff)
        }
    }

    /// One run of the service; with `faults`, ended by an injected crash when one is requested.
    private func runOnce() async throws {
        guard let faults else { return try await service.run() }
        let service = self.service, name = self.name
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            group.addTask {
                guard let downtime = await faults.nextCrash(of: name) else { return try await Task.sleep(for: .seconds(86_400 * 365)) }
                throw InjectedCrash(downtime: downtime)
            }
            defer { group.cancelAll() }
            _ = try await group.next()
        }
    }

    /// Reports the clean stop: the doctor and the health monitor then tell a stopped service from a dead one.
    private func stopped() async {
        await onEvent?(name, .stopped)
    }

    private static var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }
}

/// A counter shared by copies of a `Supervisor`.
final class RestartCount: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
