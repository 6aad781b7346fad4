import QuantumBus
import QuantumCore
import QuantumVenue

extension Executor {
    /// Compares every position with the exchange and adopts the exchange's truth where they differ (invariant 6).
    ///
    /// Symbols with an unfinished plan are left for the next round (their orders are still being
    /// settled). A difference is confirmed by a fresh read under the symbol's lock before anything
    /// is adopted; drift is published on `reconcile.event` and halts opens of the symbol.
    func reconcile(snapshot: [VenuePosition]? = nil) async throws {
        let live: [VenuePosition]
        if let snapshot { live = snapshot } else { live = try await venue.positions(symbol: nil) }
        var liveBySymbol: [Symbol: Quantity] = [:]
        for row in live where !row.quantity.isZero { liveBySymbol[row.symbol] = row.quantity }
        let busy = Set(try await store.fields(StateKey.inFlight).values.compactMap { Symbol(rawValue: $0) })
        let ours = await book.all
        for symbol in Set(ours.keys).union(liveBySymbol.keys).sorted() where !busy.contains(symbol) {
            guard PositionDrift.compare(ours: ours[symbol], live: liveBySymbol[symbol] ?? .zero) != nil else { continue }
            // A symbol whose lock stays busy (a plan settling an order) is reconciled next round; the others go on.
            let done: Void? = try await locks.withLock(symbol, waitingAtMost: configuration.protectionInterval, clock: clock) {
                try await self.reconcileSymbol(symbol)
            }
            if done == nil { logger.notice("symbol busy; reconciled next round", metadata: ["symbol": "\(symbol)"]) }
        }
        try await liftExpiredHalts(live: liveBySymbol, busy: busy)
        progress.idle(at: clock.now())
    }

    /// Drift halts whose cool-down has passed are lifted once the symbol agrees with the exchange; a halt set by
    /// hand (no end) stays for `quantum resume`.
    private func liftExpiredHalts(live: [Symbol: Quantity], busy: Set<Symbol>) async throws {
        let now = clock.now()
        for key in try await store.keys(prefix: StateKey.symbolHaltPrefix) {
            guard let symbol = Symbol(rawValue: String(key.dropFirst(StateKey.symbolHaltPrefix.count))), !busy.contains(symbol),
                  let until = try await store.fields(key)["until"].flatMap(Int64.init), now.rawValue >= until,
                  PositionDrift.compare(ours: await book.position(symbol), live: live[symbol] ?? .zero) == nil else { continue }
            _ = try await store.delete(key)
            logger.notice("drift halt lifted: the symbol agrees with the exchange", metadata: ["symbol": "\(symbol)", "resolves": "drift:\(symbol)"])
        }
    }

    /// Confirms and adopts one symbol's drift (caller holds the lock).
    func reconcileSymbol(_ symbol: Symbol, cause: ExternalFillCause? = nil) async throws {
        let row = try await venue.positions(symbol: symbol).first { $0.symbol == symbol && !$0.quantity.isZero }
        let record = await book.position(symbol)
        guard let drift = PositionDrift.compare(ours: record, live: row?.quantity ?? .zero) else { return }
        // Flat on the exchange while we hold it: if our own stop fired (every service down, FM-04), it is a stop-loss close, not drift.
        if row == nil, let record, try await applyStopFill(record) { return }
        let now = clock.now()
        var adopted: PositionRecord?
        var epoch: PositionEpoch?
        if let row {
            let direction: Direction = row.quantity.isPositive ? .long : .short
            let sameEpoch = record.map { $0.direction == direction } ?? false
            let useEpoch = sameEpoch ? record!.epoch : await book.nextEpoch(symbol)
            let fill = Fill(side: direction.openingSide, quantity: try row.quantity.magnitude(), price: row.entryPrice.isPositive ? row.entryPrice : row.markPrice)
            var next = try PositionTransition.open(symbol: symbol, direction: direction, epoch: useEpoch, fill: fill,
                                                   leverage: row.leverage ?? record?.leverage ?? Leverage(rawValue: 1)!,
                                                   stopLoss: sameEpoch ? record?.stopLoss : nil, takeProfit: sameEpoch ? record?.takeProfit : nil, at: now)
            if sameEpoch, let record {
                next.openedAt = record.openedAt
                next.realizedPnL = record.realizedPnL
                next.fees = record.fees
                next.rungsTaken = record.rungsTaken
                next.peakQuantity = max(record.peakQuantity, next.quantity)
                next.initialRisk = record.initialRisk
            }
            next.reconciledThrough = row.updateTime.rawValue > 0 ? row.updateTime : now
            adopted = next
            epoch = sameEpoch ? nil : useEpoch
        }
        // A close recognised from the user stream (stop, liquidation, ADL, manual) is not drift; anything unexplained halts opens.
        let recognised = cause != nil && adopted == nil
        var mutations: [StateMutation] = []
        if !recognised {
            mutations.append(.setFields(key: StateKey.symbolHalt(symbol), fields: [
                "reason": drift.kind, "since": String(now.rawValue), "until": String(now.advanced(by: configuration.driftHaltCoolDown).rawValue)]))
        }
        let closedNet = adopted == nil ? record.map { (try? $0.realizedPnL - $0.fees) ?? .zero } : nil
        try await commitPosition(symbol, record: adopted, epoch: epoch, extra: mutations, closedNet: closedNet)
        if recognised {
            logger.notice("position closed outside the system; adopted", metadata: ["symbol": "\(symbol)", "cause": "\(cause?.rawValue ?? "")"])
        } else {
            logger.error("position drift adopted from the exchange; opens of the symbol halted", metadata: [
                "symbol": "\(symbol)", "drift": "\(drift.kind)", "ours": "\(record?.quantity.description ?? "flat")",
                "exchange": "\(row?.quantity.description ?? "flat")", "alert": "drift:\(symbol)",
                "until": "\(now.advanced(by: configuration.driftHaltCoolDown))"])
        }
        try await bus.publish(fields: BusEvent(.reconcile, at: now, [
            "symbol": symbol.rawValue,
            "kind": recognised ? "external_close" : drift.kind, "cause": cause?.rawValue ?? "unknown",
            "ours_qty": record?.quantity.description ?? "0", "ours_side": record?.side.rawValue ?? "FLAT",
            "venue_qty": row?.quantity.description ?? "0", "halted": recognised ? "false" : "true",
        ]).fields, to: StreamName.reconcile)
    }

    /// A fill of an order that is not one of our plans (stop, liquidation, ADL, a person): applied to the position at once.
    func externalFill(_ update: OrderTradeUpdate) async throws {
        guard let trade = update.trade, !ExternalFillCause.isPlanOrder(update.clientOrderID) else { return }
        let cause = ExternalFillCause(clientOrderID: update.clientOrderID)
        try await locks.withLock(update.symbol) {
            let now = self.clock.now()
            guard let record = await self.book.position(update.symbol) else {
                return try await self.reconcileSymbol(update.symbol, cause: cause)
            }
            let fillKey = "\(trade.orderID):\(trade.tradeID)"
            if try await self.store.fields(StateKey.appliedFills(update.symbol))[fillKey] != nil {
                // The stream delivered this trade again (a duplicate or a replay after a reconnect): applied once only.
                self.logger.info("external fill already applied", metadata: ["symbol": "\(update.symbol)", "trade": "\(fillKey)"])
                return
            }
            if let through = record.reconciledThrough, trade.time <= through {
                // Reconciliation already adopted the exchange's position with this fill in it (FM-23: never count a fill twice).
                self.logger.info("external fill already in the adopted position", metadata: ["symbol": "\(update.symbol)", "order": "\(update.clientOrderID)"])
                return
            }
            let fill = Fill(side: trade.side, quantity: trade.quantity, price: trade.price, fee: trade.commission)
            let outcome: PositionTransition.Outcome
            do {
                outcome = try PositionTransition.apply(fill, to: record, at: now)
            } catch {
                return try await self.reconcileSymbol(update.symbol, cause: cause)
            }
            try await self.commitExternal(fill, outcome, to: record, cause: cause, clientOrderID: update.clientOrderID, at: now,
                                          fillKey: fillKey)
            self.logger.notice("external fill applied", metadata: ["symbol": "\(update.symbol)", "cause": "\(cause.rawValue)"])
        }
    }

    /// Applies the fill of the position's protective stop if it fired while nobody watched; `false` when it did not
    /// (then the difference is drift). The stop is found by its client algo id, its fill by the triggered order's id.
    private func applyStopFill(_ record: PositionRecord) async throws -> Bool {
        let symbol = record.symbol
        guard let algo = try? await venue.conditionalOrder(Self.stopID(symbol, record.epoch, try stopLevel(record))),
              algo.status == .finished || algo.status == .triggered, let orderID = algo.actualOrderID,
              let fills = try? await venue.trades(ofOrder: orderID, symbol: symbol) else { return false }
        guard let first = fills.first else { return false }
        var quantity = Quantity.zero
        var quote = Notional.zero
        var fee = Notional.zero
        for trade in fills {
            quantity = try quantity + trade.quantity
            quote = try quote + trade.quote
            fee = try fee + trade.commission
        }
        guard quantity.isPositive, let price = try? quote.price(per: quantity) else { return false }
        let now = clock.now()
        let fill = Fill(side: first.side, quantity: quantity, price: price, fee: fee)
        guard let outcome = try? PositionTransition.apply(fill, to: record, at: now), outcome.record == nil else { return false }
        logger.notice("the protective stop closed the position while the executor was away", metadata: ["symbol": "\(symbol)", "qty": "\(quantity)", "avg": "\(price)"])
        try await commitExternal(fill, outcome, to: record, cause: .protectiveStop, clientOrderID: algo.clientAlgoID, at: now)
        return true
    }

    /// Records a fill we did not send (caller holds the lock): the position with its money and exit figures in one
    /// update, the stop cancelled if someone else closed the position, and the event on `reconcile.event`.
    private func commitExternal(_ fill: Fill, _ outcome: PositionTransition.Outcome, to record: PositionRecord, cause: ExternalFillCause,
                                clientOrderID: String, at now: EpochMillis, fillKey: String? = nil) async throws {
        var figures: [StateMutation] = [
            .increment(key: StateKey.stat(.realizedPnLUnits), by: outcome.realized.units),
            .increment(key: StateKey.stat(.feeUnits), by: fill.fee.units),
        ]
        if outcome.closedNet != nil {
            figures += exitCounters(reason: cause.reasonWord)
            figures += Self.positionFigures(before: record, after: outcome, reason: cause == .protectiveStop ? .stopLoss : nil, rung: nil)
        }
        // The trades applied to this epoch, in the same commit, so a repeat of one is recognised; a flat position forgets
        // them (a repeat then finds nothing to reduce).
        if outcome.record == nil {
            figures.append(.delete(key: StateKey.appliedFills(record.symbol)))
        } else if let fillKey {
            figures.append(.setFields(key: StateKey.appliedFills(record.symbol), fields: [fillKey: String(now.rawValue)]))
        }
        try await commitPosition(record.symbol, record: outcome.record, extra: figures, closedNet: outcome.closedNet)
        if outcome.closedNet != nil {
            // Closed by someone else (liquidation, ADL, a person): our stop must not linger as an orphan.
            if cause != .protectiveStop { await cancelStop(record.symbol, epoch: record.epoch, level: try stopLevel(record)) }
        }
        try await bus.publish(fields: BusEvent(.reconcile, at: now, [
            "symbol": record.symbol.rawValue,
            "kind": outcome.record == nil ? "external_close" : "external_fill", "cause": cause.rawValue,
            "ours_qty": record.quantity.description, "ours_side": record.side.rawValue,
            "venue_qty": outcome.record?.quantity.description ?? "0", "halted": "false", "client_order_id": clientOrderID,
            "fill_side": fill.side.rawValue, "fill_qty": fill.quantity.description, "fill_price": fill.price.description,
        ]).fields, to: StreamName.reconcile)
    }
}
