import Logging
import QuantumBus
import QuantumCore
import QuantumVenue

/// The protection monitor (invariant 5): every interval, each open position must have exactly one live
/// protective stop, ours, at its recorded level.
///
/// A missing stop is an alert, halts every open (`StateKey.unprotected`) and is placed again; a stop the
/// venue refuses because the price is already through it closes the position; extra stops of a position
/// and stops of a symbol we hold nothing in (orphans) are cancelled. It runs inside the apply-layer
/// under each symbol's lock, so it never races the executor placing, moving or cancelling a stop.
actor ProtectionMonitor {
    private let executor: Executor
    private let logger: Logger
    /// When each position was first seen without its stop, for the alert and the resolved notice.
    private var unprotectedSince: [Symbol: EpochMillis] = [:]
    private var lastCheck: EpochMillis?
    private var checks = 0

    /// Our protective stops' client algo ids start with this.
    static let stopPrefix = "\(ClientOrderID.prefix)s-"
    /// Every this many checks, the stops of symbols we hold nothing in are looked for (one request of weight 40);
    /// the other checks ask per held symbol (weight 1 each), so the monitor never eats the rate-limit budget.
    static let orphanSweepEvery = 30

    /// What one symbol's check found.
    enum SymbolCheck: Sendable {
        case protected
        case unprotected(since: EpochMillis)
        /// Its lock stayed busy (a plan settling an order): checked next round, its last verdict stands.
        case busy
        case failed
    }

    init(executor: Executor, logger: Logger) {
        self.executor = executor
        self.logger = logger
    }

    /// One check of every position, each symbol on its own, and now and then the orphan sweep.
    func check() async throws {
        let now = executor.clock.now()
        let held = await executor.book.all
        var outcomes: [Symbol: SymbolCheck] = [:]
        await withTaskGroup(of: (Symbol, SymbolCheck).self) { group in
            for symbol in held.keys.sorted() {
                group.addTask { (symbol, await self.checkSymbol(symbol, now: now)) }
            }
            for await (symbol, outcome) in group { outcomes[symbol] = outcome }
        }
        var unprotected: [Symbol: EpochMillis] = [:]
        var unprotectedMillis: Int64 = 0
        for (symbol, outcome) in outcomes {
            switch outcome {
            case .unprotected(let since):
                unprotected[symbol] = since
                unprotectedMillis += now.duration(since: max(since, lastCheck ?? since)).wholeMilliseconds
            case .busy, .failed:
                if let since = unprotectedSince[symbol] { unprotected[symbol] = since }
            case .protected:
                break
            }
        }
        checks += 1
        if checks % Self.orphanSweepEvery == 1 { await sweepOrphans(held: Set(held.keys), now: now) }
        let restored = unprotectedSince.filter { unprotected[$0.key] == nil }
        unprotectedSince = unprotected
        lastCheck = now
        try await record(unprotected, millis: unprotectedMillis)
        for (symbol, since) in restored.sorted(by: { $0.key < $1.key }) {
            logger.notice("position protected again (or closed)", metadata: ["symbol": "\(symbol)", "resolves": "unprotected:\(symbol)", "unprotected_ms": "\(now.duration(since: since).wholeMilliseconds)"])
            await event("stop_restored", symbol, stop: .zero, now: now)
        }
    }

    /// One symbol under its lock, waiting for it at most one interval.
    private func checkSymbol(_ symbol: Symbol, now: EpochMillis) async -> SymbolCheck {
        do {
            let outcome = try await executor.locks.withLock(symbol, waitingAtMost: executor.configuration.protectionInterval,
                                                            clock: executor.clock) { () async throws -> SymbolCheck in
                let stops = try await self.executor.venue.openConditionalOrders(symbol: symbol, priority: .monitor)
                    .filter { $0.clientAlgoID.hasPrefix(Self.stopPrefix) }
                return try await self.protect(symbol, liveStops: stops, now: now).map { .unprotected(since: $0) } ?? .protected
            }
            if outcome == nil { logger.notice("symbol busy; its protection is checked next round", metadata: ["symbol": "\(symbol)"]) }
            return outcome ?? .busy
        } catch {
            logger.warning("protection check failed; retried next round", metadata: ["symbol": "\(symbol)", "error": "\(error)"])
            return .failed
        }
    }

    /// Cancels our stops on symbols we hold nothing in.
    private func sweepOrphans(held: Set<Symbol>, now: EpochMillis) async {
        guard let live = try? await executor.venue.openConditionalOrders(symbol: nil, priority: .monitor) else { return }
        for stop in live where stop.clientAlgoID.hasPrefix(Self.stopPrefix) && !held.contains(stop.symbol) {
            _ = await executor.locks.withLock(stop.symbol, waitingAtMost: executor.configuration.protectionInterval, clock: executor.clock) {
                guard await self.executor.book.position(stop.symbol) == nil else { return }
                self.logger.notice("orphan protective stop cancelled", metadata: ["symbol": "\(stop.symbol)", "id": "\(stop.clientAlgoID)"])
                if let id = ClientOrderID(rawValue: stop.clientAlgoID) { _ = try? await self.executor.venue.cancelConditional(id) }
                await self.event("stop_orphan_cancelled", stop.symbol, stop: stop.triggerPrice, now: now)
            }
        }
    }

    /// Checks one position (caller holds its lock); returns since when it has been unprotected, `nil` when protected.
    private func protect(_ symbol: Symbol, liveStops: [VenueAlgoOrder], now: EpochMillis) async throws -> EpochMillis? {
        guard let record = await executor.book.position(symbol) else { return nil }
        let level = try executor.stopLevel(record)
        let expected = Executor.stopID(symbol, record.epoch, level)
        var protected = liveStops.contains { $0.clientAlgoID == expected.rawValue }
        if !protected, let found = try? await executor.venue.conditionalOrder(expected, priority: .monitor) {
            if found.status.isLive {
                protected = true  // placed after the snapshot was read
            } else if found.status.hasFired {
                // The stop did its work and its fill has not reached us yet (the user stream is behind, or lost it): settle
                // the position from the exchange now. Judged unprotected, it halted every open for an interval and had a
                // stop placed again for a position the exchange had already closed.
                try await executor.reconcileSymbol(symbol)
                guard let settled = await executor.book.position(symbol) else { return nil }
                // Adopted anew from the exchange (another epoch): judged like any position, its own stop expected.
                if settled.epoch != record.epoch { return try await protect(symbol, liveStops: liveStops, now: now) }
            }
        }
        if !protected {
            let since = unprotectedSince[symbol] ?? max(record.openedAt, lastCheck ?? record.openedAt)
            // Opens stop the moment a gap is seen, before any repair is tried.
            try await executor.store.update([.setFields(key: StateKey.unprotected, fields: [symbol.rawValue: String(since.rawValue)])])
            if unprotectedSince[symbol] == nil {
                logger.error("position without a live protective stop; opens halted until it is protected",
                             metadata: ["alert": "unprotected:\(symbol)", "symbol": "\(symbol)", "epoch": "\(record.epoch)", "stop": "\(level)"])
                await event("stop_missing", symbol, stop: level, now: now)
            }
            switch await executor.placeStop(record, level: level) {
            case .placed:
                _ = try? await executor.store.update([.increment(key: StateKey.stat(.stopsRepaired), by: 1)])
                protected = true
                await event("stop_repaired", symbol, stop: level, now: now)
                if record.stopLoss != level {
                    var next = record
                    next.stopLoss = level
                    try await executor.book.commit(symbol, record: next)
                }
            case .wouldTrigger:
                logger.error("the position's stop is already breached; closing it", metadata: ["symbol": "\(symbol)", "stop": "\(level)"])
                await event("stop_breached", symbol, stop: level, now: now)
                try await executor.requestClose(record, reason: .stopLoss)
            case .failed(let why):
                logger.error("protective stop could not be placed; retrying next interval", metadata: ["symbol": "\(symbol)", "error": "\(why)"])
            }
            if !protected { return since }
            unprotectedSince[symbol] = since
        }
        for extra in liveStops where extra.clientAlgoID != expected.rawValue {
            logger.notice("extra protective stop cancelled", metadata: ["symbol": "\(symbol)", "id": "\(extra.clientAlgoID)"])
            if let id = ClientOrderID(rawValue: extra.clientAlgoID) { _ = try? await executor.venue.cancelConditional(id) }
            await event("stop_extra_cancelled", symbol, stop: extra.triggerPrice, now: now)
        }
        return nil
    }

    /// A protection event on `reconcile.event`, for operators and the doctor (publishing failures are logged, never fatal).
    private func event(_ kind: String, _ symbol: Symbol, stop: Price, now: EpochMillis) async {
        do {
            try await executor.bus.publish(fields: BusEvent(.reconcile, at: now, [
                "symbol": symbol.rawValue,
                "kind": kind, "stop": stop.description, "halted": kind == "stop_missing" ? "true" : "false",
            ]).fields, to: StreamName.reconcile)
        } catch {
            logger.warning("protection event not published", metadata: ["kind": "\(kind)", "error": "\(error)"])
        }
    }

    /// Writes the guard (unprotected symbols) and adds the unprotected time to its counter.
    private func record(_ unprotected: [Symbol: EpochMillis], millis: Int64) async throws {
        let stored = try await executor.store.fields(StateKey.unprotected)
        var mutations: [StateMutation] = []
        let gone = stored.keys.filter { key in Symbol(rawValue: key).map { unprotected[$0] == nil } ?? true }
        if !gone.isEmpty { mutations.append(.removeFields(key: StateKey.unprotected, fields: gone)) }
        let fresh = unprotected.filter { stored[$0.key.rawValue] == nil }
        if !fresh.isEmpty {
            mutations.append(.setFields(key: StateKey.unprotected, fields: Dictionary(uniqueKeysWithValues: fresh.map { ($0.key.rawValue, String($0.value.rawValue)) })))
        }
        if millis > 0 { mutations.append(.increment(key: StateKey.stat(.unprotectedMillis), by: millis)) }
        if !mutations.isEmpty { try await executor.store.update(mutations) }
    }
}
