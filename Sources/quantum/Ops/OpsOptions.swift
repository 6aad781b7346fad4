import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus
import QuantumCore
import QuantumOps

/// The operations settings of a running system: dashboard, `/metrics`, and the alerts.
struct OpsOptions: ParsableArguments {
    @Option(help: "Dashboard and /metrics address.") var dashboardHost = "127.0.0.1"
    @Option(help: "Dashboard and /metrics port (0: any free port).") var dashboardPort = 8080
    @Flag(help: "Serve no dashboard and no /metrics.") var noDashboard = false
    @OptionGroup var alerts: AlertOptions

    func validate() throws {
        guard (0...65_535).contains(dashboardPort) else { throw ValidationError("--dashboard-port must be 0…65535, got \(dashboardPort)") }
        if !noDashboard, dashboardPort != 0, let problem = PortProbe.bindError(host: dashboardHost, port: dashboardPort) {
            throw ValidationError("dashboard: \(problem); choose another --dashboard-port (0 for any) or --no-dashboard")
        }
    }
}

/// Where alerts go and what the console shows: every process of the system has these.
struct AlertOptions: ParsableArguments {
    @Option(help: "POST every alert (error and critical log lines, and their resolution) to this URL.") var alertWebhook: String?
    @Option(help: "Alert payload: json, slack, discord or telegram.") var alertFormat = "json"
    @Option(help: "Telegram chat id (with --alert-format telegram).") var telegramChatId: String?
    @Option(help: "At most this many alert messages a minute; the rest are counted and summarised.") var alertsPerMinute = 20
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "warning"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
        guard let format = AlertWebhook.Format(rawValue: alertFormat) else {
            throw ValidationError("--alert-format must be one of \(AlertWebhook.Format.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let alertWebhook {
            guard let url = URL(string: alertWebhook), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--alert-webhook must be an http(s) URL, got \(alertWebhook)")
            }
        }
        guard (1...10_000).contains(alertsPerMinute) else { throw ValidationError("--alerts-per-minute must be 1…10000, got \(alertsPerMinute)") }
        if format == .telegram, telegramChatId == nil { throw ValidationError("--alert-format telegram needs --telegram-chat-id") }
    }

    /// Bootstraps logging (with the alert webhook when configured) and metrics (onto one Prometheus registry) for this process.
    func bootstrap(system: String) -> (webhook: AlertWebhook?, registry: PrometheusCollectorRegistry) {
        let level = Logger.Level(rawValue: logLevel) ?? .warning
        var webhook: AlertWebhook?
        if let alertWebhook {
            var configuration = AlertWebhook.Configuration(url: alertWebhook)
            configuration.format = AlertWebhook.Format(rawValue: alertFormat) ?? .json
            configuration.telegramChatID = telegramChatId
            configuration.system = system
            configuration.throttle.maximumPerWindow = alertsPerMinute
            var quiet = Logger(label: "quantum.alerts")
            quiet.handler = StreamLogHandler.standardError(label: "quantum.alerts")
            quiet.logLevel = .warning
            webhook = AlertWebhook(configuration: configuration, logger: quiet)
        }
        let sink = webhook
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            guard let sink else { return handler }
            // Alerts are taken at notice level whatever the console shows: a resolution is a notice.
            var alerting = AlertLogHandler(inner: handler) { sink.submit($0) }
            alerting.logLevel = min(level, .notice)
            return alerting
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return (webhook, registry)
    }
}
