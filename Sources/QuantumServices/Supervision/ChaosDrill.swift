import Logging
import QuantumCore
import ServiceLifecycle

/// A fire drill: crashes each service in turn, one every `interval`, each kept down `downtime`.
///
/// `quantum run --chaos-crash-every` runs it, so an operator can watch detection, alerts, the exit-path
/// halt and recovery happen on a paper run before trusting them with money.
public struct ChaosDrill: Service {
    public let faults: ServiceFaults
    public let services: [ServiceName]
    public let interval: Duration
    public let downtime: Duration
    public let clock: any EpochClock
    public let logger: Logger

    public init(faults: ServiceFaults, services: [ServiceName], interval: Duration, downtime: Duration, clock: any EpochClock, logger: Logger) {
        self.faults = faults
        self.services = services
        self.interval = interval
        self.downtime = downtime
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        var next = 0
        while !services.isEmpty {
            do { try await untilGracefulShutdown { try await clock.sleep(for: interval) } } catch { return }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
            let service = services[next % services.count]
            logger.warning("fire drill: crashing a service", metadata: ["service": "\(service.rawValue)", "down_for": "\(downtime)"])
            faults.crash(service, downFor: downtime)
            next += 1
        }
    }
}
