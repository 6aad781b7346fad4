import ArgumentParser
import Foundation
import Logging
import QuantumCore
import QuantumOps

/// `quantum dashboard`: the dashboard and `/metrics` of a state directory, in a process of their own (distributed mode).
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Serve the dashboard, its live events, /metrics and the kill switch for a state directory.",
        discussion: "`quantum run` serves the same itself; this is for a deployment that runs one process per service.")

    @OptionGroup var state: StateOptions
    @OptionGroup var ops: OpsOptions

    func validate() throws {
        if ops.noDashboard { throw ValidationError("--no-dashboard leaves `quantum dashboard` nothing to do") }
    }

    func run() async throws {
        let (webhook, registry) = ops.alerts.bootstrap(system: "quantum dashboard")
        let logger = Logger(label: "quantum.dashboard")
        let (log, store) = try state.open(create: false)
        guard let group = ops.services(log: log, store: store, clock: SystemEpochClock(), description: "state \(state.location)",
                                       registry: registry, webhook: webhook, logger: logger) else { return }
        let notifier = SystemdNotifier()
        notifier.ready()
        try await withThrowingDiscardingTaskGroup { tasks in
            tasks.addTask { await notifier.watchdog(while: { true }) }
            try await group.run()
            tasks.cancelAll()
        }
    }
}
