import Prometheus
import QuantumCore
import QuantumServices
import Synchronization

/// `GET /metrics`: the system's figures in the Prometheus text format.
///
/// Figures kept in the state store (plans, results, orders, money, lag) are read into the registry from a
/// `SystemSnapshot` at each scrape, so they agree with the run summary and `quantum doctor` exactly;
/// totals are counters (advanced by what grew since the last scrape). Figures only a process sees (the
/// intent → order and exchange request latencies, rate-limit headroom) arrive through swift-metrics,
/// bootstrapped onto the same registry.
public final class MetricsExporter: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let seen = Mutex<[String: Int64]>([:])

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Updates every snapshot metric and renders the registry.
    public func render(_ s: SystemSnapshot) -> String {
        for service in s.services {
            let labels = [("service", service.service.rawValue)]
            gauge("quantum_service_up", labels, service.verdict == .up ? 1 : 0, "1 while the service heartbeats on time")
            gauge("quantum_service_heartbeat_age_seconds", labels, service.heartbeatAge ?? -1, "Seconds since the service's last heartbeat (system clock)")
            counter("quantum_service_restarts_total", labels, Int64(service.restarts), "Supervisor restarts of the service")
        }
        for (action, count) in s.plansByAction { counter("quantum_plans_total", [("action", action)], Int64(count), "Plans published, by action") }
        for (action, decisions) in s.resultsByActionAndDecision {
            for (decision, count) in decisions {
                counter("quantum_results_total", [("action", action), ("decision", decision)], Int64(count), "Plan results, by action and decision")
            }
        }
        counter("quantum_orders_total", [("outcome", "sent")], s.ordersSent, "Orders sent to the venue, and those that filled")
        counter("quantum_orders_total", [("outcome", "filled")], s.fills, "Orders sent to the venue, and those that filled")
        counter("quantum_duplicates_prevented_total", [], s.duplicatesPrevented, "Plans answered DUPLICATE: an order never sent twice")
        counter("quantum_exit_deadline_misses_total", [], s.harvest.exitDeadlineMisses, "Exit plans handled after their deadline")
        counter("quantum_exits_executed_total", [], s.harvest.exitsExecuted, "Exits executed (plans and closes the exchange made)")
        counter("quantum_reconciliation_drift_total", [], Int64(s.driftEvents), "Positions found differing from the exchange")
        for consumer in s.consumers {
            let labels = [("stream", consumer.stream), ("group", consumer.group)]
            gauge("quantum_consumer_lag", labels, Double(consumer.lag), "Entries not yet delivered to the consumer group")
            gauge("quantum_consumer_pending", labels, Double(consumer.pending), "Entries delivered but not acknowledged")
        }
        for stream in SnapshotReader.streams {
            gauge("quantum_dead_letters", [("stream", stream)], Double(s.deadLetters[stream] ?? 0), "Entries set aside as unprocessable")
        }
        gauge("quantum_positions_open", [], Double(s.positions.count), "Open positions")
        gauge("quantum_positions_unprotected", [], Double(s.unprotected.count), "Open positions without a live protective stop")
        gauge("quantum_symbols_halted", [], Double(s.killSwitch.haltedSymbols.count), "Symbols whose opens reconciliation halted")
        gauge("quantum_equity_usdt", [], s.equity.doubleValue, "Account equity as last read from the venue")
        gauge("quantum_realized_pnl_usdt", [], s.realizedPnL.doubleValue, "Realised PnL of every fill, before fees")
        gauge("quantum_fees_usdt", [], s.fees.doubleValue, "Fees of every fill")
        gauge("quantum_kill_switch_active", [], s.killSwitch.active ? 1 : 0, "1 while the kill switch halts opens")
        gauge("quantum_exit_path_halted", [], s.exitPathHalted.isEmpty ? 0 : 1, "1 while an unhealthy exit path halts opens")
        return registry.emitToString()
    }

    private func gauge(_ name: String, _ labels: [(String, String)], _ value: Double, _ help: String) {
        registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels).set(value)
    }

    /// Advances a counter to `total` (a total that went down, a new state, is taken as the new base).
    private func counter(_ name: String, _ labels: [(String, String)], _ total: Int64, _ help: String) {
        let key = name + labels.map { "|\($0.0)=\($0.1)" }.joined()
        let delta = seen.withLock { seen -> Int64 in
            defer { seen[key] = total }
            return max(0, total - (seen[key] ?? 0))
        }
        let counter = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
        if delta > 0 { counter.increment(by: delta) }
    }
}
