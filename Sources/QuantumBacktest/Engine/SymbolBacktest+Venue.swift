import QuantumCore

/// The bars run as the paper exchange fills a live replay of them (`BacktestConfiguration.Fills.venue`).
///
/// A live replay plays each bar as four ticks (`IntraBarPath`: the open at 0 s, the low and the high in the bar's
/// direction at 20 s and 40 s, the close at 59.999 s) and closes the bar with the next bar's first tick. The system
/// decides on the closed bar while the market waits there, so an entry or an exit decided at a bar's close fills at
/// the next bar's open, buying at the ask and selling at the bid (`halfSpreadTicks` either side). The stop is on the
/// exchange from its entry on: it fires at the first tick at or beyond it, filling across the spread from that tick,
/// including the tick that closes a bar, whose fill the system has settled before it sees the bar. The target is
/// judged at each bar's close. Per bar, in that order: the stop on the bar's later ticks and on the next bar's open,
/// the target at the close, the strategy's cross (an entry when flat; with a position held, a close when
/// `exitOnCross` and the cross is opposite, otherwise nothing), then the fills at the next open.
extension SymbolBacktest {
    static func runAtTheVenue(
        _ columns: BarColumns, market: BacktestConfiguration.Market, configuration: BacktestConfiguration,
        progressEvery: Int, progress: (@Sendable (Int) -> Void)?
    ) throws(BacktestError) -> SymbolResult {
        var run = SymbolBacktest(columns: columns, market: market, configuration: configuration)
        let count = columns.count
        var equity = [Double](repeating: 0, count: count)
        var exposed = 0
        var signals: [BacktestSignal] = []
        let scale = 1 / Double(Price.one)
        do {
            for index in 0..<count {
                let next = index + 1 < count ? index + 1 : nil
                if run.position != nil {
                    for point in 1..<4 where run.position != nil { try run.stopAtTheVenue(bar: index, point: point) }
                    if let next, run.position != nil { try run.stopAtTheVenue(bar: next, point: 0) }
                }
                let close = columns.closes[index]
                var exit: BacktestExit?
                if let open = run.position, open.direction == .long ? close >= open.target.units : close <= open.target.units {
                    exit = .target
                }
                let scaled = (high: Double(columns.highs[index]) * scale, low: Double(columns.lows[index]) * scale, close: Double(close) * scale)
                if let cross = run.kernel.step(high: scaled.high, low: scaled.low, close: scaled.close) {
                    signals.append(BacktestSignal(openTime: columns.openTimes[index], direction: cross.direction, close: Price(units: close)))
                    if let open = run.position {
                        if exit == nil, open.direction != cross.direction, configuration.exitOnCross { exit = .cross }
                    } else if let next {
                        let mid = Price(units: columns.opens[next])
                        try run.enter(cross.direction, decidedAt: Price(units: close), filledAt: run.across(mid, buying: cross.direction == .long),
                                      market: mid, index: next)
                    }
                }
                if let reason = exit, let open = run.position, let next {
                    let mid = Price(units: columns.opens[next])
                    try run.exit(open, at: run.across(mid, buying: open.direction == .short), index: next, reason: reason)
                }
                var value = run.realized.doubleValue
                if let open = run.position, open.entryIndex <= index {
                    exposed += 1
                    let move = Double(close - open.entryPrice.units) * Double(open.quantity.units) * scale * scale
                    value += open.direction == .long ? move : -move
                }
                equity[index] = value
                if let progress, (index + 1) % progressEvery == 0 { progress(progressEvery) }
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

    /// The price a market order fills at when the last price is `mid`: the ask when buying, the bid when selling (the
    /// last price itself when the bid would not be positive, as the paper exchange's book).
    func across(_ mid: Price, buying: Bool) -> Price {
        let spread = market.tickSize.units * configuration.halfSpreadTicks
        if buying { return Price(units: mid.units + spread) }
        return mid.units - spread > 0 ? Price(units: mid.units - spread) : mid
    }

    /// The stop at one tick of a bar's path (0 open, 1 and 2 the extremes in the bar's direction, 3 close): when the
    /// tick is at or beyond it, the position closes across the spread from the tick.
    mutating func stopAtTheVenue(bar: Int, point: Int) throws(MoneyError) {
        guard let open = position else { return }
        let price = Self.pathPrice(columns, bar: bar, point: point)
        let long = open.direction == .long
        guard long ? price <= open.stop.units : price >= open.stop.units else { return }
        let time = EpochMillis(columns.openTimes[bar] + Self.pathOffsets(columns.interval)[point])
        try exit(open, at: across(Price(units: price), buying: !long), index: bar, reason: .stop, time: time)
    }

    /// The price of one of a bar's four path points, as `IntraBarPath` lays them: open, low and high (high and low when
    /// the bar closed below its open), close.
    static func pathPrice(_ columns: BarColumns, bar: Int, point: Int) -> Int64 {
        let open = columns.opens[bar], close = columns.closes[bar]
        switch point {
        case 0: return open
        case 3: return close
        default:
            let bullish = close >= open
            return (point == 1) == bullish ? columns.lows[bar] : columns.highs[bar]
        }
    }

    /// The path points' offsets from a bar's open time, as `IntraBarPath` times them.
    static func pathOffsets(_ interval: KlineInterval) -> [Int64] {
        let length = interval.milliseconds
        return [0, length / 3, 2 * length / 3, length - 1]
    }
}
