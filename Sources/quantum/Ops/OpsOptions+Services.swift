import Foundation
import Logging
import Prometheus
import QuantumBus
import QuantumCore
import QuantumOps
import ServiceLifecycle

extension OpsOptions {
    /// The process's operations services (dashboard with /metrics, alert webhook) in a group of their own, or nil when none is on.
    ///
    /// The dashboard prints its address and the kill switch's token once it listens.
    func services(log: any EventLog, store: any StateStore, clock: any EpochClock, description: String, registry: PrometheusCollectorRegistry,
                  webhook: AlertWebhook?, logger: Logger) -> ServiceGroup? {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if !noDashboard {
            var configuration = DashboardServer.Configuration()
            configuration.host = dashboardHost
            configuration.port = dashboardPort
            let token = configuration.token
            let host = dashboardHost
            let server = DashboardServer(
                feed: DashboardFeed(log: log, store: store, description: description), metrics: MetricsExporter(registry: registry),
                store: store, clock: clock, configuration: configuration, logger: logger
            ) { port in
                print("dashboard http://\(host):\(port)/ (metrics at /metrics; kill-switch token \(token))")
                fflush(nil)
            }
            services.append(.init(service: server))
        }
        if let webhook { services.append(.init(service: webhook)) }
        guard !services.isEmpty else { return nil }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(5)
        configuration.maximumCancellationDuration = .seconds(2)
        return ServiceGroup(configuration: configuration)
    }
}
