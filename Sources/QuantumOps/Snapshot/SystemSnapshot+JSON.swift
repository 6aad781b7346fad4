import QuantumCore
import QuantumServices

extension SystemSnapshot {
    /// The dashboard's JSON document: `/api/state` and every `/api/events` message.
    ///
    /// Money stays exact (decimal strings); `equityCurve` is the feed's sampled history.
    public func dashboardJSON(description: String, equityCurve: [(EpochMillis, Notional)]) -> String {
        func string(_ s: String?) -> String { s.map { "\"\($0.jsonEscaped)\"" } ?? "null" }
        func number(_ d: Double?) -> String { d.map { $0.isFinite ? String(format: "%.4f", $0) : "null" } ?? "null" }
        let services = self.services.map { s in
            "{\"service\": \(string(s.service.rawValue)), \"verdict\": \(string(s.verdict.rawValue)), \"age_seconds\": \(number(s.heartbeatAge)), "
                + "\"restarts\": \(s.restarts), \"processed\": \(s.processed), \"lag\": \(s.lag.map(String.init) ?? "null")}"
        }
        let positions = self.positions.map { p in
            let r = p.record
            return "{\"symbol\": \(string(r.symbol.rawValue)), \"side\": \(string(r.side.rawValue)), \"quantity\": \(string(r.quantity.description)), "
                + "\"entry_price\": \(string(r.entryPrice.description)), \"mark_price\": \(string(p.markPrice?.description)), "
                + "\"unrealized_pnl\": \(string(p.unrealizedPnL?.description)), \"r\": \(number(p.r)), \"stop_loss\": \(string(r.stopLoss?.description)), "
                + "\"stop_live\": \(p.stopLive), \"epoch\": \(r.epoch.rawValue), \"opened_at\": \(r.openedAt.rawValue)}"
        }
        let curve = equityCurve.map { "[\($0.0.rawValue), \(string($0.1.description))]" }
        let plans = recentPlans.map { f in
            "{\"ts\": \(f["ts"] ?? "0"), \"plan_id\": \(string(f["plan_id"])), \"symbol\": \(string(f["symbol"])), \"action\": \(string(f["action"])), "
                + "\"source\": \(string(f["source"]))}"
        }
        let results = recentResults.map { f in
            let detail = f["executed"] == "true" ? "\(f["filled_qty"] ?? "?") @ \(f["avg_price"] ?? "?")" : (f["error"] ?? "")
            return "{\"ts\": \(f["ts"] ?? "0"), \"plan_id\": \(string(f["plan_id"])), \"symbol\": \(string(f["symbol"])), \"action\": \(string(f["action"])), "
                + "\"decision\": \(string(f["decision"])), \"detail\": \(string(detail))}"
        }
        let halted = killSwitch.haltedSymbols.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\(string($0.key.rawValue)): \(string($0.value))" }
        return """
            {"as_of": \(asOf.rawValue), "description": \(string(description)),
            "services": [\(services.joined(separator: ", "))],
            "positions": [\(positions.joined(separator: ", "))],
            "equity": \(string(equity.description)), "realized_pnl": \(string(realizedPnL.description)), "fees": \(string(fees.description)),
            "equity_curve": [\(curve.joined(separator: ", "))],
            "plans": [\(plans.joined(separator: ", "))],
            "results": [\(results.joined(separator: ", "))],
            "harvest": {\(harvest.jsonMembers)},
            "counts": {"plans": \(plansByAction.values.reduce(0, +)), "orders_sent": \(ordersSent), "fills": \(fills), "duplicates_prevented": \(duplicatesPrevented), "dead_letters": \(deadLetterTotal)},
            "guards": {"kill_switch": {"active": \(killSwitch.active), "reason": \(string(killSwitch.reason)), "since": \(killSwitch.since.map { String($0.rawValue) } ?? "null")},
              "exit_path_halted": [\(exitPathHalted.map { string($0) }.joined(separator: ", "))],
              "open_pauses": {\(pausesJSON)},
              "churn_pauses": {\(churnPauses.filter { asOf < $0.value }.sorted { $0.key < $1.key }.map { "\(string($0.key)): \($0.value.rawValue)" }.joined(separator: ", "))},
              "halts_lift": {\(killSwitch.haltsLift.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\(string($0.key.rawValue)): \($0.value.rawValue)" }.joined(separator: ", "))},
              "unprotected": [\(unprotected.keys.sorted().map { string($0) }.joined(separator: ", "))],
              "halted_symbols": {\(halted.joined(separator: ", "))}}}
            """
    }

    /// Active pauses of opens: cause → when it lifts (ms).
    private var pausesJSON: String {
        openPauses.until.filter { asOf < $0.value }.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\"\($0.key.rawValue)\": \($0.value.rawValue)" }.joined(separator: ", ")
    }
}
