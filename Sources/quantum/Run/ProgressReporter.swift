import Foundation
import QuantumBus
import QuantumCore
import QuantumServices
import ServiceLifecycle

/// Prints one progress line every `interval` (real time): market time, equity, open positions, plans and results per market minute.
struct ProgressReporter: Service {
    let log: any EventLog
    let store: any StateStore
    let clock: any EpochClock
    let interval: Duration?

    func run() async throws {
        guard let interval else {
            try? await gracefulShutdown()
            return
        }
        var last = (time: clock.now(), plans: try await log.length(StreamName.plan), results: try await log.length(StreamName.result))
        while !Task.isCancelled {
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
            let now = clock.now()
            let plans = try await log.length(StreamName.plan)
            let results = try await log.length(StreamName.result)
            let account = AccountWindows(fields: try await store.fields(StateKey.account))
            let positions = try await store.keys(prefix: StateKey.positionPrefix).count
            let minutes = max(Double(now.rawValue - last.time.rawValue) / 60_000, 1e-9)
            let time = Date(timeIntervalSince1970: Double(now.rawValue) / 1_000).formatted(.iso8601)
            print(String(format: "%@  equity %@  positions %d  plans/min %.1f  results/min %.1f  (plans %d, results %d)",
                         time, account.equity.description, positions, Double(plans - last.plans) / minutes,
                         Double(results - last.results) / minutes, plans, results))
            last = (now, plans, results)
        }
    }
}
