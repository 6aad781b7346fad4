import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumServices
import QuantumSim
import Synchronization

/// Checks the invariants against the exchange's own records: its orders, positions and protection audit, and the
/// results the system published. Step checks run every few virtual seconds; the plan checks once at the end.
final class SoakChecker: Sendable {
    /// One broken invariant.
    struct Violation: Sendable {
        var invariant: SoakInvariant
        var time: EpochMillis
        /// The scheduler's step at which it was seen.
        var step: UInt64
        var detail: String
    }

    private struct State {
        var violations: [Violation] = []
        /// Orders already judged (final), and the signed position each symbol's fills add up to.
        var judged: Set<Int64> = []
        var walked: [Symbol: Quantity] = [:]
        var filledIDs: [String: Int] = [:]
        /// When each symbol's store and exchange positions started to disagree.
        var driftSince: [Symbol: EpochMillis] = [:]
        var driftReported: Set<Symbol> = []
        var unprotectedReported = false
    }

    static let key = SimulatorSetup.defaultCredential.apiKey
    private let host: ExchangeHost
    private let store: any StateStore
    private let log: any EventLog
    private let scheduler: SimulationScheduler
    private let symbols: [Symbol]
    private let configuration: SoakConfiguration
    private let driftAllowance: Duration
    private let state = Mutex(State())

    init(host: ExchangeHost, store: any StateStore, log: any EventLog, scheduler: SimulationScheduler, configuration: SoakConfiguration,
         reconcileInterval: Duration) {
        self.host = host
        self.store = store
        self.log = log
        self.scheduler = scheduler
        symbols = configuration.symbols
        self.configuration = configuration
        driftAllowance = reconcileInterval + .seconds(30)
    }

    var violations: [Violation] { state.withLock { $0.violations } }

    private func violate(_ invariant: SoakInvariant, at time: EpochMillis, _ detail: String) {
        let step = scheduler.steps
        state.withLock { $0.violations.append(Violation(invariant: invariant, time: time, step: step, detail: detail)) }
    }

    /// Checks every `configuration.checkEvery` until cancelled.
    func run(stalls: @escaping @Sendable () -> [(from: EpochMillis, to: EpochMillis)]) async {
        while !Task.isCancelled {
            do { try await scheduler.sleep(for: configuration.checkEvery) } catch { return }
            await step(stalls: stalls())
        }
    }

    /// The checks of one step.
    func step(stalls: [(from: EpochMillis, to: EpochMillis)]) async {
        let now = scheduler.now()
        let key = Self.key
        let (orders, positions, longest) = await host.inspect { desk -> ([SimOrder], [PositionSnapshot], Int64) in
            let account = desk.engine.account(key)
            let orders = account.map { Array($0.orders.values) } ?? []
            return (orders, (try? desk.engine.positions(key)) ?? [], desk.engine.protectionAudit(key)?.longest(at: now) ?? 0)
        }
        judgeOrders(orders, at: now)
        if longest > configuration.unprotectedLimit.wholeMilliseconds {
            let first = state.withLock { state -> Bool in
                defer { state.unprotectedReported = true }
                return !state.unprotectedReported
            }
            if first { violate(.unprotectedBeyondPeriod, at: now, "a position went \(longest) ms without its stop (the exchange's audit)") }
        }
        await judgeDrift(positions, at: now, stalls: stalls)
    }

    /// New final orders, in the order the exchange made them: no client id fills twice, no open fills on a position.
    private func judgeOrders(_ orders: [SimOrder], at now: EpochMillis) {
        var fresh = state.withLock { state in orders.filter { !state.judged.contains($0.orderID) && !$0.status.isOpen } }
        fresh.sort { $0.orderID < $1.orderID }
        for order in fresh {
            let (twice, stacked) = state.withLock { state -> (Bool, Quantity?) in
                state.judged.insert(order.orderID)
                guard order.executedQuantity.isPositive else { return (false, nil) }
                state.filledIDs[order.clientOrderID, default: 0] += 1
                let before = state.walked[order.symbol] ?? .zero
                let signed = order.side == .buy ? order.executedQuantity : ((try? Quantity.zero - order.executedQuantity) ?? .zero)
                state.walked[order.symbol] = (try? before + signed) ?? before
                let isOurOpen = order.clientOrderID.hasPrefix("\(ClientOrderID.prefix)o-")
                return (state.filledIDs[order.clientOrderID] == 2, isOurOpen && !before.isZero ? before : nil)
            }
            if twice { violate(.duplicateOrder, at: order.time, "client order id \(order.clientOrderID) filled twice") }
            if let before = stacked {
                violate(.stackedPosition, at: order.time, "open \(order.clientOrderID) filled on \(order.symbol) while it held \(before)")
            }
        }
    }

    /// The store's position against the exchange's: a difference may last one reconcile period (longer inside a stall).
    private func judgeDrift(_ positions: [PositionSnapshot], at now: EpochMillis, stalls: [(from: EpochMillis, to: EpochMillis)]) async {
        for symbol in symbols {
            let exchange = positions.first { $0.symbol == symbol }?.quantity ?? .zero
            let fields = (try? await store.fields(StateKey.position(symbol))) ?? [:]
            let ours = (try? PositionRecord.decode(fields)).map { $0.side == .short ? ((try? Quantity.zero - $0.quantity) ?? .zero) : $0.quantity }
                ?? .zero
            let report = state.withLock { state -> EpochMillis? in
                guard ours != exchange else {
                    state.driftSince[symbol] = nil
                    state.driftReported.remove(symbol)
                    return nil
                }
                let since = state.driftSince[symbol] ?? now
                state.driftSince[symbol] = since
                guard !state.driftReported.contains(symbol) else { return nil }
                var allowed = driftAllowance
                for stall in stalls where stall.to > since && stall.from < now { allowed = allowed + stall.to.duration(since: stall.from) }
                guard now.duration(since: since) > allowed else { return nil }
                state.driftReported.insert(symbol)
                return since
            }
            if let since = report {
                violate(.positionDrift, at: now, "\(symbol): store \(ours), exchange \(exchange) since \(since)")
            }
        }
    }

    /// The plan checks, once the system has stopped: every plan one result, exits on time and never gated, no open
    /// sent while the kill switch was on.
    func finish(end: EpochMillis, record: SoakFaultDriver.Record, exitDeadline: Duration) async {
        let plans = (try? await log.range(StreamName.plan, from: .zero, to: .max, count: 10_000_000)) ?? []
        let results = (try? await log.range(StreamName.result, from: .zero, to: .max, count: 10_000_000)) ?? []
        var answered: [String: [[String: String]]] = [:]
        for entry in results where entry.fields["decision"] != ResultDecision.duplicate.rawValue {
            answered[entry.fields["plan_id"] ?? "", default: []].append(entry.fields)
        }
        let gateReasons: Set<String> = Set([DecisionReason.killSwitch, .symbolHalted, .notInAllowlist, .equityStale, .marketStateStale,
                                            .dailyLossLimit, .drawdownLimit, .consecutiveLosses, .maxPositions, .churnBreaker,
                                            .unprotectedPosition, .exitPathUnhealthy, .marginRefusalPause].map(\.word))
        var seen: Set<String> = []
        for plan in plans {
            guard let planID = plan.fields["plan_id"], seen.insert(planID).inserted else { continue }
            let created = plan.fields["ts"].flatMap(Int64.init).map { EpochMillis($0) } ?? EpochMillis(Int64(plan.id.milliseconds))
            let outcomes = answered[planID] ?? []
            if outcomes.isEmpty {
                // Plans made in the last minute may be cut off by the end of the run.
                if end.duration(since: created) > .seconds(60) { violate(.lostMessage, at: created, "plan \(planID) has no result") }
                continue
            }
            if outcomes.count > 1 { violate(.planWithoutOneResult, at: created, "plan \(planID) has \(outcomes.count) results") }
            let exit = plan.fields["reduceOnly"] == "true"
            guard exit, let result = outcomes.first else { continue }
            if let reason = result["error"], gateReasons.contains(reason) {
                violate(.exitBlockedByGuard, at: created, "exit \(planID) refused: \(reason)")
            }
            let answeredAt = result["ts"].flatMap(Int64.init).map { EpochMillis($0) } ?? created
            if answeredAt.duration(since: created) > exitDeadline,
               !record.stalls.contains(where: { $0.from <= answeredAt && $0.to >= created }) {
                violate(.exitDeadlineMiss, at: created, "exit \(planID) answered after \(answeredAt.duration(since: created))")
            }
        }
        let key = Self.key
        let opens = await host.inspect { desk in
            (desk.engine.account(key).map { Array($0.orders.values) } ?? []).filter { $0.clientOrderID.hasPrefix("\(ClientOrderID.prefix)o-") }
        }
        for order in opens {
            for window in record.killSwitch where order.time > window.from.advanced(by: .seconds(1)) && order.time < window.to {
                violate(.openedWhileHalted, at: order.time, "open \(order.clientOrderID) sent while the kill switch was on")
            }
        }
    }
}
