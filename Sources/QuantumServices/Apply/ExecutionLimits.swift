import QuantumBus
import QuantumCore
import QuantumVenue

/// The executor's own risk inputs: the account and its windows, recent orders, churn, verified leverage.
///
/// The risk guard is a pure function; this actor holds what it is fed that only the executor knows.
/// The account windows are stored under `quantum:account` so peak equity, the day's start and the
/// loss streak survive a restart.
actor ExecutionLimits {
    private let store: any StateStore
    private let risk: RiskGuard.Configuration
    private(set) var account = AccountWindows()
    private var marginRefusals: [EpochMillis] = []
    private var orders: [(symbol: Symbol, time: EpochMillis)] = []
    private var opens: [Symbol: [EpochMillis]] = [:]
    private var leverage: [Symbol: SymbolConfiguration] = [:]
    /// Opens admitted by the guard and not yet ended: plan id → the capacity they hold.
    private var reservations: [String: RiskGuard.Reserved] = [:]
    /// Churn pauses already announced, with their ends.
    private var announcedChurn: [Symbol: EpochMillis] = [:]
    /// Account changes (a close, an account read) commit one at a time.
    private let accountTurn = KeyedMutex<AccountTurn>()
    private enum AccountTurn { case account }

    init(store: any StateStore, risk: RiskGuard.Configuration = RiskGuard.Configuration()) {
        self.store = store
        self.risk = risk
    }

    /// Reads the stored account; a loss streak stored at or past the limit (by an older version, or a lowered limit)
    /// becomes a pause that starts now, so it lifts like any other.
    func load(at now: EpochMillis) async throws {
        account = AccountWindows(fields: try await store.fields(StateKey.account))
        if risk.maxConsecutiveLosses > 0, account.consecutiveLosses >= risk.maxConsecutiveLosses {
            account.consecutiveLosses = 0
            try await store.update(pauseStarting(.consecutiveLosses, at: now, for: risk.lossPauseCoolDown)
                                   + [.setFields(key: StateKey.account, fields: account.fields)])
        }
    }

    /// A fresh read of the venue account, written in its turn (a close committing meanwhile would have its streak
    /// overwritten by the one read before it).
    func observe(_ venue: VenueAccount, at now: EpochMillis) async throws {
        try await accountTurn.withLock(.account) {
            var next = await self.account
            next.observe(equity: venue.marginBalance, available: Margin(units: venue.availableBalance.units), at: now)
            try await self.store.setFields(StateKey.account, next.fields)
            await self.adopt(next)
        }
    }

    /// Records an epoch closed with `net` in the account, committed by `commit` with the mutations it makes (the
    /// account's windows; the loss pause when the streak reaches the limit); returns `commit`'s value and the pause's end.
    ///
    /// Account changes take turns: each is worked out from the last one committed. Two closes at once used to start from
    /// the same account, and the later commit dropped the earlier one's loss — two losing closes in one bar counted as
    /// one, and whether a pause started depended on the scheduling.
    func recordClose<T: Sendable>(net: Notional, at now: EpochMillis,
                                  commit: @Sendable ([StateMutation]) async throws -> T) async throws -> (value: T, pausedUntil: EpochMillis?) {
        try await accountTurn.withLock(.account) {
            let change = await self.closing(net: net, at: now)
            let value = try await commit(change.mutations)
            await self.adopt(change.account)
            return (value, change.pausedUntil)
        }
    }

    /// Account changes waiting for their turn (tests).
    var accountChangesWaiting: Int { get async { await accountTurn.waiting(.account) } }

    /// The account after a close with `net`, and the mutations that record it (a loss streak reaching the limit also
    /// starts the loss pause).
    private func closing(net: Notional, at now: EpochMillis) -> (account: AccountWindows, mutations: [StateMutation], pausedUntil: EpochMillis?) {
        var next = account
        let paused = next.recordClose(net: net, at: now, pauseAfter: risk.maxConsecutiveLosses)
        var mutations: [StateMutation] = [.setFields(key: StateKey.account, fields: next.fields)]
        var until: EpochMillis?
        if paused {
            until = now.advanced(by: risk.lossPauseCoolDown)
            mutations += pauseStarting(.consecutiveLosses, at: now, for: risk.lossPauseCoolDown)
        }
        return (next, mutations, until)
    }

    private func adopt(_ next: AccountWindows) {
        account = next
    }

    /// An open the venue refused for margin (-2019) at `now`; the end of the pause it starts, if it is the
    /// `marginRefusalLimit`-th within the window (the refusals are then counted afresh).
    func recordMarginRefusal(at now: EpochMillis) async throws -> EpochMillis? {
        marginRefusals.append(now)
        marginRefusals.removeAll { now.duration(since: $0) > risk.marginRefusalWindow }
        guard risk.marginRefusalLimit > 0, marginRefusals.count >= risk.marginRefusalLimit else { return nil }
        marginRefusals = []
        try await store.update(pauseStarting(.marginRefusals, at: now, for: risk.marginRefusalPause))
        return now.advanced(by: risk.marginRefusalPause)
    }

    private func pauseStarting(_ cause: OpenPauses.Cause, at now: EpochMillis, for length: Duration) -> [StateMutation] {
        [.setFields(key: StateKey.openPauses, fields: OpenPauses.field(cause, until: now.advanced(by: length)))]
    }

    /// Decides on an open with the capacity every other admitted open holds, and reserves its own if allowed —
    /// in one step of this actor, so two opens deciding at once cannot both take the last of a limit (defect 8).
    func admit(_ planID: String, notional: Notional, margin: Margin,
               _ decide: @Sendable (RiskGuard.Reserved) -> RiskGuard.Decision) -> RiskGuard.Decision {
        var others = RiskGuard.Reserved()
        for (id, held) in reservations where id != planID {
            others.notional = (try? others.notional + held.notional) ?? others.notional
            others.margin = (try? others.margin + held.margin) ?? others.margin
        }
        let decision = decide(others)
        if decision == .allow { reservations[planID] = RiskGuard.Reserved(notional: notional, margin: margin) }
        return decision
    }

    /// The open ended (filled, and so counted as a position, or not): its reservation is given back.
    func release(_ planID: String) {
        reservations[planID] = nil
    }

    /// An order was sent (per-symbol and global order rates).
    func recordOrder(_ symbol: Symbol, at now: EpochMillis) {
        orders.append((symbol, now))
    }

    /// An open was sent (the churn breaker counts these).
    func recordOpen(_ symbol: Symbol, at now: EpochMillis) {
        opens[symbol, default: []].append(now)
    }

    /// Orders sent in the last minute, per symbol.
    func ordersLastMinute(at now: EpochMillis) -> [Symbol: Int] {
        orders.removeAll { now.duration(since: $0.time) > .seconds(60) }
        return orders.reduce(into: [:]) { $0[$1.symbol, default: 0] += 1 }
    }

    /// Symbols with `limit` or more opens within `window`, paused by the churn breaker (FM-13) until enough of those
    /// opens leave the window; with the pauses that started and ended since the last call.
    func churnPauses(at now: EpochMillis, limit: Int, window: Duration)
        -> (paused: [Symbol: EpochMillis], started: [Symbol: EpochMillis], ended: [Symbol]) {
        var paused: [Symbol: EpochMillis] = [:]
        for (symbol, times) in opens {
            let recent = times.filter { now.duration(since: $0) < window }.sorted()
            opens[symbol] = recent
            // Opens again once fewer than `limit` remain in the window: when the open `limit` places from the end leaves it.
            if limit > 0, recent.count >= limit { paused[symbol] = recent[recent.count - limit].advanced(by: window) }
        }
        let started = paused.filter { announcedChurn[$0.key] != $0.value }
        let ended = announcedChurn.keys.filter { paused[$0] == nil }
        announcedChurn = paused
        return (paused, started, Array(ended))
    }

    func verifiedLeverage(_ symbol: Symbol) -> SymbolConfiguration? { leverage[symbol] }

    func setVerifiedLeverage(_ configuration: SymbolConfiguration) {
        leverage[configuration.symbol] = configuration
    }
}
