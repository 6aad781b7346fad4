import QuantumBus
import QuantumCore

/// The executor's write-ahead journal: one hash per plan, written before anything reaches the exchange.
///
/// A plan is claimed atomically (`claimed`), its order is journaled before it is sent
/// (`submitting`), and its result is stored with the position change in one atomic update
/// (`terminal`) before it is published. An index of unfinished plans lets a restarted executor
/// resume exactly where the previous one stopped (DESIGN.md §5).
struct PlanJournal: Sendable {
    let store: any StateStore
    /// The executor (consumer name) writing: a restart resumes only its own unfinished plans, never a live peer's.
    var owner = "apply-layer-1"

    enum State: String, Sendable {
        case claimed
        case submitting
        case terminal
    }

    struct Entry: Sendable {
        var plan: Plan
        var state: State
        /// The stream entry that delivered the plan first.
        var entryID: String
        var order: PlanExecution.Order?
        var result: ApplyResult?
        var published: Bool
        var owner: String?
    }

    enum Claim: Sendable {
        /// Claimed by this call, with the keys asked to be read right after the claim.
        case claimed(StateSnapshot)
        case existing(Entry)
    }

    /// Claims a plan for this delivery, reading `keys` right after the claim in the same round trip; an existing claim
    /// is returned as it is.
    func claim(_ plan: Plan, entryID: EntryID, thenReading keys: [String] = []) async throws -> Claim {
        let key = StateKey.journal(plan.planID)
        var fields = Self.prefixed(plan.encoded(), "plan.")
        fields["state"] = State.claimed.rawValue
        fields["entry_id"] = entryID.description
        fields["owner"] = owner
        fields["published"] = "false"
        let claim = try await store.update(when: [.absent(key: key)], [
            .setFields(key: key, fields: fields),
            .setFields(key: StateKey.inFlight, fields: [plan.planID: plan.symbol.rawValue]),
        ], thenReading: keys)
        if claim.applied { return .claimed(claim.snapshot) }
        guard let entry = try await entry(plan.planID) else {
            throw ExecutorError(.journalCorrupt, "plan \(plan.planID) is claimed but its journal entry cannot be read")
        }
        return .existing(entry)
    }

    /// Records the order about to be sent (before every send, so the journal counts them), with the counts the plan owes
    /// (`counts`) in the same write.
    func submitting(_ plan: Plan, order: PlanExecution.Order, with counts: [StateMutation] = []) async throws {
        try await store.update([.setFields(key: StateKey.journal(plan.planID), fields: [
            "state": State.submitting.rawValue,
            "order_side": order.side.rawValue,
            "order_qty": order.quantity.description,
            "reduce_only": order.reduceOnly ? "true" : "false",
        ])] + counts)
    }

    /// The mutations that make a plan terminal with its result (applied with the position change).
    func terminal(_ result: ApplyResult) -> [StateMutation] {
        var fields = Self.prefixed(result.encoded(), "result.")
        fields["state"] = State.terminal.rawValue
        return [.setFields(key: StateKey.journal(result.planID), fields: fields)]
    }

    /// The result is on the stream: the plan leaves the unfinished index.
    func published(_ planID: String) async throws {
        try await store.update([
            .setFields(key: StateKey.journal(planID), fields: ["published": "true"]),
            .removeFields(key: StateKey.inFlight, fields: [planID]),
        ])
    }

    /// Latches a DUPLICATE result for one delivery, so a redelivery of it is not answered twice; `false` if already latched.
    func latchDuplicate(_ planID: String, entryID: EntryID) async throws -> Bool {
        let key = StateKey.journal(planID)
        let field = "duplicate.\(entryID)"
        return try await store.update(when: [.fieldEquals(key: key, field: field, value: nil)], [.setFields(key: key, fields: [field: "true"])])
    }

    /// Every plan of this owner not yet finished and published, oldest claim first (entries that do not decode are left out).
    func unfinished() async throws -> [Entry] {
        let index = try await store.fields(StateKey.inFlight)
        var entries: [Entry] = []
        for planID in index.keys {
            do {
                if let entry = try await entry(planID), entry.owner == nil || entry.owner == owner { entries.append(entry) }
            } catch is ExecutorError {
                // An entry that does not decode stays in the index for an operator; the others go on.
                continue
            }
        }
        return entries.sorted { (EntryID($0.entryID) ?? .zero) < (EntryID($1.entryID) ?? .zero) }
    }

    /// Unfinished opens per symbol in the in-flight index's `fields` (for the risk guard's in-flight check).
    static func inFlightOpens(_ fields: [String: String]) -> [Symbol: Int] {
        var counts: [Symbol: Int] = [:]
        for (planID, symbol) in fields where planID.hasPrefix("open:") {
            if let symbol = Symbol(rawValue: symbol) { counts[symbol, default: 0] += 1 }
        }
        return counts
    }

    func entry(_ planID: String) async throws -> Entry? {
        let fields = try await store.fields(StateKey.journal(planID))
        guard !fields.isEmpty else { return nil }
        do {
            let plan = try Plan.decode(Self.unprefixed(fields, "plan."))
            guard let state = fields["state"].flatMap(State.init(rawValue:)), let entryID = fields["entry_id"] else {
                throw ExecutorError(.journalCorrupt, "journal of \(planID) lacks state or entry id")
            }
            var order: PlanExecution.Order?
            if let side = fields["order_side"].flatMap(OrderSide.init(rawValue:)), let qty = fields["order_qty"].flatMap({ try? Quantity(parsing: $0) }) {
                order = PlanExecution.Order(side: side, quantity: qty, reduceOnly: fields["reduce_only"] == "true")
            }
            let resultFields = Self.unprefixed(fields, "result.")
            let result = resultFields.isEmpty ? nil : try ApplyResult.decode(resultFields)
            return Entry(plan: plan, state: state, entryID: entryID, order: order, result: result, published: fields["published"] == "true",
                         owner: fields["owner"])
        } catch let error as ExecutorError {
            throw error
        } catch {
            throw ExecutorError(.journalCorrupt, "journal of \(planID) does not decode: \(error)")
        }
    }

    static func prefixed(_ fields: [String: String], _ prefix: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: fields.map { (prefix + $0.key, $0.value) })
    }

    static func unprefixed(_ fields: [String: String], _ prefix: String) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value) in fields where key.hasPrefix(prefix) { out[String(key.dropFirst(prefix.count))] = value }
        return out
    }
}
