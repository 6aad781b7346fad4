import Foundation
import QuantumBus
import QuantumCore

/// What a run did, read from the bus and the state store: the summary `quantum run` prints and writes as JSON.
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

    public init() {}

    /// Reads the totals of everything in the state directory (this run and the runs before it on the same state).
    public static func read(log: any EventLog, store: any StateStore) async throws -> RunSummary {
        var summary = RunSummary()
        summary.plans = try await log.length(StreamName.plan)
        var cursor = EntryID.zero
        while true {
            let page = try await log.range(StreamName.result, from: cursor, to: .max, count: 5_000)
            for entry in page {
                if let decision = entry.fields["decision"].flatMap(ResultDecision.init(rawValue:)) { summary.resultsByDecision[decision, default: 0] += 1 }
                summary.harvest.count(result: entry.fields)
            }
            guard let last = page.last, page.count == 5_000 else { break }
            cursor = last.id.successor
        }
        func stat(_ s: ExecutorStat) async throws -> Int64 { try await store.get(StateKey.stat(s)).flatMap(Int64.init) ?? 0 }
        summary.ordersSent = try await stat(.ordersSent)
        summary.fills = try await stat(.fills)
        summary.duplicatesPrevented = try await stat(.duplicatesPrevented)
        summary.realizedPnL = Notional(units: try await stat(.realizedPnLUnits))
        summary.fees = Notional(units: try await stat(.feeUnits))
        summary.positionsOpen = try await store.keys(prefix: StateKey.positionPrefix).count
        let account = AccountWindows(fields: try await store.fields(StateKey.account))
        summary.equity = account.equity
        summary.maxDrawdown = account.maxDrawdown
        try await summary.harvest.readCounters(store)
        summary.intentsRefused = try await log.length(StreamName.intentRejected)
        summary.deadLetters = try await log.length(StreamName.plan + ".deadletter") + (try await log.length(StreamName.tradeIntent + ".deadletter"))
            + (try await log.length(StreamName.exitIntent + ".deadletter"))
        return summary
    }

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

            """ + harvest.text
    }
}
