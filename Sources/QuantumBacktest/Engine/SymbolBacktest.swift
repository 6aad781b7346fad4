import QuantumCore
import QuantumSim

/// One symbol's backtest: the `EMACross` kernel decides, this books the fills exactly.
///
/// Per bar, in this order: an open position's stop and target are checked against the bar's low and high (from the
/// bar after the entry on; a bar touching both takes the stop; the fill is at the level, or at a gapped open with
/// `ProtectiveFill.gap`); then the kernel steps the
/// bar, and a cross at the close opens a position when flat or closes an opposite one (without reversing on the
/// same bar). Positions are booked in the live `PositionLedger`, fees with the paper exchange's `FillCost`.
struct SymbolBacktest {
    /// The position held between entry and exit.
    struct OpenPosition {
        var direction: Direction
        var quantity: Quantity
        var entryIndex: Int
        var entryPrice: Price
        var stop: Price
        var target: Price
        var entryFee: Notional
        var risk: Notional
        /// Funding paid so far (negative: received).
        var funding = Notional.zero
    }

    let columns: BarColumns
    let market: BacktestConfiguration.Market
    let configuration: BacktestConfiguration
    var kernel: EMACross
    var ledger = PositionLedger()
    var position: OpenPosition?
    var trades: [BacktestTrade] = []
    /// Realized net PnL so far, exact.
    var realized = Notional.zero
    var refusedSignals = 0

    init(columns: BarColumns, market: BacktestConfiguration.Market, configuration: BacktestConfiguration) {
        self.columns = columns
        self.market = market
        self.configuration = configuration
        kernel = EMACross(configuration.strategy)
    }

    /// Runs every bar; `progress` hears the bars done every `progressEvery` bars.
    static func run(
        _ columns: BarColumns, market: BacktestConfiguration.Market, configuration: BacktestConfiguration,
        progressEvery: Int = 1 << 16, progress: (@Sendable (Int) -> Void)? = nil
    ) throws(BacktestError) -> SymbolResult {
        var run = SymbolBacktest(columns: columns, market: market, configuration: configuration)
        let count = columns.count
        var equity = [Double](repeating: 0, count: count)
        var exposed = 0
        var signals: [BacktestSignal] = []
        let scale = 1 / Double(Price.one)
        do {
            try columns.opens.withUnsafeBufferPointer { opens throws(MoneyError) in
            try columns.highs.withUnsafeBufferPointer { highs throws(MoneyError) in
                try columns.lows.withUnsafeBufferPointer { lows throws(MoneyError) in
                    try columns.closes.withUnsafeBufferPointer { closes throws(MoneyError) in
                        for index in 0..<count {
                            let high = highs[index], low = lows[index], close = closes[index]
                            if let open = run.position, open.entryIndex < index {
                                try run.checkProtection(open, open: opens[index], high: high, low: low, index: index)
                            }
                            let cross = run.kernel.step(high: Double(high) * scale, low: Double(low) * scale, close: Double(close) * scale)
                            if let cross {
                                signals.append(BacktestSignal(openTime: columns.openTimes[index], direction: cross.direction, close: Price(units: close)))
                                try run.act(on: cross, close: close, index: index)
                            }
                            let marked = run.marked(atClose: close)
                            if marked.exposed { exposed += 1 }
                            equity[index] = marked.value
                            if let progress, (index + 1) % progressEvery == 0 { progress(progressEvery) }
                        }
                    }
                }
            }
            }
            if let open = run.position, let last = columns.closes.last {
                try run.exit(open, at: Price(units: last), index: count - 1, reason: .endOfData)
                equity[count - 1] = run.realized.doubleValue
            }
        } catch {
            throw BacktestError(.arithmetic, "\(columns.symbol): \(error.message)")
        }
        if let progress { progress(count % progressEvery) }
        return SymbolResult(
            symbol: columns.symbol, interval: columns.interval, firstOpenTime: columns.openTimes.first ?? 0, bars: count,
            trades: run.trades, cumulativePnL: equity, exposedBars: exposed, refusedSignals: run.refusedSignals, signals: signals)
    }

    /// Realised net PnL plus the open position's move to `close` (statistics only), and whether a position is open.
    func marked(atClose close: Int64) -> (value: Double, exposed: Bool) {
        var value = realized.doubleValue
        guard let open = position else { return (value, false) }
        let scale = 1 / Double(Price.one)
        let move = Double(close - open.entryPrice.units) * Double(open.quantity.units) * scale * scale
        value += open.direction == .long ? move : -move
        return (value, true)
    }

    /// Closes the position at its stop or target when the bar touched one (the stop when it touched both); with
    /// `ProtectiveFill.gap`, a bar that opened beyond the level fills at its open.
    mutating func checkProtection(_ open: OpenPosition, open barOpen: Int64, high: Int64, low: Int64, index: Int) throws(MoneyError) {
        let long = open.direction == .long
        let gaps = configuration.protectiveFill == .gap
        let stopTouched = long ? low <= open.stop.units : high >= open.stop.units
        if stopTouched {
            let gapped = gaps && (long ? barOpen < open.stop.units : barOpen > open.stop.units)
            return try exit(open, at: gapped ? Price(units: barOpen) : open.stop, index: index, reason: .stop)
        }
        let targetTouched = long ? high >= open.target.units : low <= open.target.units
        if targetTouched {
            let gapped = gaps && (long ? barOpen > open.target.units : barOpen < open.target.units)
            try exit(open, at: gapped ? Price(units: barOpen) : open.target, index: index, reason: .target)
        }
    }

    /// A cross at the close: enter when flat, close an opposite position (no reversal on the same bar).
    mutating func act(on cross: EMACross.Cross, close: Int64, index: Int) throws(MoneyError) {
        let price = Price(units: close)
        if let open = position {
            if open.direction != cross.direction, configuration.exitOnCross { try exit(open, at: price, index: index, reason: .cross) }
            return
        }
        try enter(cross.direction, at: price, index: index)
    }

    /// Opens a position at `price` sized to the configured notional, with the kernel's ATR stop and target.
    mutating func enter(_ direction: Direction, at price: Price, index: Int) throws(MoneyError) {
        try enter(direction, decidedAt: price, filledAt: price, market: price, index: index)
    }

    /// An entry's size and levels, once checked.
    struct Entry {
        var direction: Direction
        var quantity: Quantity
        var stop: Price
        var target: Price
    }

    /// Opens a position filled at `fill`, decided at `reference` (its stop and target are the kernel's levels from
    /// there, and it is sized there), when the levels are on their sides of the `market` price and its margin is free.
    mutating func enter(_ direction: Direction, decidedAt reference: Price, filledAt fill: Price, market mid: Price,
                        index: Int) throws(MoneyError) {
        guard let entry = try entry(direction, decidedAt: reference, market: mid, margined: fill) else { return }
        try record(entry, filledAt: fill, index: index)
    }

    /// The entry a cross at `reference` makes, or `nil` (counted as refused) when it has no size, its levels are not on
    /// their sides of the `market` price, or its margin at `margined` is not free.
    mutating func entry(_ direction: Direction, decidedAt reference: Price, market mid: Price, margined: Price) throws(MoneyError) -> Entry? {
        let quantity = try PositionSizer.quantity(for: configuration.notionalPerTrade, at: reference, step: market.stepSize)
        let levels = kernel.levels(entry: reference.doubleValue, direction: direction)
        let long = direction == .long
        guard quantity.isPositive, levels.stop.isFinite, levels.target.isFinite,
              let rawStop = try? Price(approximating: levels.stop), let rawTarget = try? Price(approximating: levels.target)
        else { refusedSignals += 1; return nil }
        // Rounded to the tick away from the entry, as the intent bridge rounds live levels.
        let stop = try rawStop.rounded(toStep: market.tickSize, long ? .down : .up)
        let target = try rawTarget.rounded(toStep: market.tickSize, long ? .up : .down)
        let margin = try (try margined.notional(of: quantity, rounding: .up)).margin(at: configuration.leverage)
        let wallet = try configuration.balance + realized
        guard stop.isPositive, target.isPositive, long ? stop < mid && target > mid : stop > mid && target < mid,
              margin.units <= wallet.units
        else { refusedSignals += 1; return nil }
        return Entry(direction: direction, quantity: quantity, stop: stop, target: target)
    }

    /// Books a funding payment on the open position (negative: received).
    mutating func payFunding(_ payment: Notional) throws(MoneyError) {
        guard var open = position else { return }
        open.funding = try open.funding + payment
        realized = try realized - payment
        position = open
    }

    /// Books `entry` filled at `fill` on bar `index`, with the paper exchange's commission.
    mutating func record(_ entry: Entry, filledAt fill: Price, index: Int) throws(MoneyError) {
        let long = entry.direction == .long
        let cost = try FillCost(price: fill, quantity: entry.quantity, rate: configuration.feeRate)
        try ledger.apply(Fill(side: long ? .buy : .sell, quantity: entry.quantity, price: fill, fee: cost.commission))
        realized = try realized - cost.commission
        let risk = try (try (try fill - entry.stop).magnitude()).notional(of: entry.quantity)
        position = OpenPosition(direction: entry.direction, quantity: entry.quantity, entryIndex: index, entryPrice: fill, stop: entry.stop,
                                target: entry.target, entryFee: cost.commission, risk: risk)
    }

    /// Closes the whole position at `price` and records the round trip (`time`: the fill's, when not the bar's open time).
    mutating func exit(_ open: OpenPosition, at price: Price, index: Int, reason: BacktestExit, time: EpochMillis? = nil) throws(MoneyError) {
        let cost = try FillCost(price: price, quantity: open.quantity, rate: configuration.feeRate)
        let effect = try ledger.apply(Fill(side: open.direction == .long ? .sell : .buy, quantity: open.quantity, price: price,
                                           fee: cost.commission))
        guard case .closed(let gross) = effect else { throw MoneyError(.overflow, "an exit did not close the position (\(effect))") }
        realized = try (try realized + gross) - cost.commission
        let fees = try open.entryFee + cost.commission
        trades.append(BacktestTrade(
            symbol: columns.symbol, direction: open.direction, quantity: open.quantity,
            entryTime: EpochMillis(columns.openTimes[open.entryIndex]), entryPrice: open.entryPrice, stop: open.stop,
            target: open.target, exitTime: time ?? EpochMillis(columns.openTimes[index]), exitPrice: price, exitReason: reason,
            grossPnL: gross, fees: fees, funding: open.funding, netPnL: try (try gross - fees) - open.funding, risk: open.risk, barsHeld: index - open.entryIndex))
        position = nil
    }
}
