import Foundation
import QuantumCore

/// What a run did: the summary `quantum run` prints and writes as JSON.
///
/// It is read through the operators' one snapshot reader (`RunSummary.read` in QuantumOps), so the summary, the
/// doctor, `/metrics` and the dashboard count the same things the same way.
public struct RunSummary: Hashable, Sendable {
    public var plans = 0
    public var resultsByDecision: [ResultDecision: Int] = [:]
    public var ordersSent: Int64 = 0
    public var fills: Int64 = 0
    public var duplicatesPrevented: Int64 = 0
    public var positionsOpen = 0
    public var realizedPnL = Notional.zero
    public var fees = Notional.zero
    public var equity = Notional.zero
    public var maxDrawdown = 0.0
    public var intentsRefused = 0
    public var deadLetters = 0
    public var harvest = HarvestFigures()
    /// The embedded exchange's own measure of positions without a protective stop (`nil` on an external venue).
    public var exchangeUnprotectedSeconds: Double?
    public var exchangeLongestUnprotectedSeconds: Double?
    /// Per-bar work of a paced run (faster than real time on the embedded exchange), `nil` otherwise.
    public var barWork: BarWorkFigures?

    public init() {}

    /// The summary as a JSON object (money as decimal strings, exact).
    public var json: String {
        let decisions = ResultDecision.allCases.map { "\"\($0.rawValue)\": \(resultsByDecision[$0, default: 0])" }.joined(separator: ", ")
        return """
            {
              "plans": \(plans),
              "results_by_decision": {\(decisions)},
              "orders_sent": \(ordersSent),
              "fills": \(fills),
              "duplicates_prevented": \(duplicatesPrevented),
              "positions_open": \(positionsOpen),
              "realized_pnl": "\(realizedPnL)",
              "fees": "\(fees)",
              "equity": "\(equity)",
              "max_drawdown": \(maxDrawdown),
              "intents_refused": \(intentsRefused),
              "dead_letters": \(deadLetters),
              "exchange_unprotected_seconds": \(exchangeUnprotectedSeconds.map { String(format: "%.3f", $0) } ?? "null"),
              "exchange_longest_unprotected_seconds": \(exchangeLongestUnprotectedSeconds.map { String(format: "%.3f", $0) } ?? "null"),
              "bar_work": \(barWork.map { String(format: "{\"bars\": %d, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, \"gave_up\": %d, \"warm_up_bars\": %d}", $0.bars, $0.p50, $0.p99, $0.max, $0.gaveUp, $0.warmUp) } ?? "null"),
            \(harvest.jsonMembers)
            }

            """
    }

    /// Human lines.
    public var text: String {
        let decisions = ResultDecision.allCases.map { "\($0.rawValue.lowercased()) \(resultsByDecision[$0, default: 0])" }.joined(separator: ", ")
        return """
            plans               \(plans)
            results             \(decisions)
            orders sent         \(ordersSent)
            fills               \(fills)
            duplicates stopped  \(duplicatesPrevented)
            positions open      \(positionsOpen)
            realised PnL        \(realizedPnL) USDT (before fees)
            fees                \(fees) USDT
            equity              \(equity) USDT
            max drawdown        \(String(format: "%.2f", maxDrawdown * 100)) %
            intents refused     \(intentsRefused)
            dead letters        \(deadLetters)
            unprotected (exch.) \(exchangeUnprotectedSeconds.map { String(format: "%.1f s, longest %.1f s", $0, exchangeLongestUnprotectedSeconds ?? 0) } ?? "n/a (external venue)")
            bar work (paced)    \(barWork.map { String(format: "p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d bars (%d not caught up; %d warm-up bars before)", $0.p50, $0.p99, $0.max, $0.bars, $0.gaveUp, $0.warmUp) } ?? "n/a (not paced)")

            """ + harvest.text
    }
}
