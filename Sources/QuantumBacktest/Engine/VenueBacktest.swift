import QuantumCore
import QuantumSim

/// The backtest on the paper exchange's engine in process (`BacktestConfiguration.Fills.venue`): the same matching,
/// fees, spread, margin, funding and liquidation as a live replay, on the bars' own clock.
///
/// A live replay plays each bar as four ticks (`IntraBarPath`: the open at 0 s, the low and the high in the bar's
/// direction at 20 s and 40 s, the close at 59.999 s) and closes the bar with the next bar's first tick, where the
/// market waits while the system decides. So here, minute by minute over every symbol: the opening ticks are applied
/// (a stop on the exchange may fire on them), the bars they closed are decided, and the orders go to the engine at
/// that market: an entry is a market order with its stop-market (close position, on the mark) placed beside it, an
/// exit a reduce-only market order with the stop cancelled. Then the bar's later ticks. The target is judged at each
/// bar's close (the exit-brain's bar rule); a stop is the engine's, so it fills where the engine fills a triggered
/// stop. One account holds every symbol, in cross margin. The books (`SymbolBacktest`) record what the engine filled.
struct VenueBacktest {
    /// The account the backtest trades.
    static let account = "backtest"

    let configuration: BacktestConfiguration
    var paper: PaperExchange
    var books: [SymbolBacktest]
    /// Per symbol: the next bar to play, the equity and exposure so far, and the crosses.
    var next: [Int]
    var equity: [[Double]]
    var exposed: [Int]
    var signals: [[BacktestSignal]]
    /// The client id of each symbol's open stop.
    var stops: [Symbol: String] = [:]
    var nextClientID = 1

    init(_ configuration: BacktestConfiguration, series: [BarColumns]) throws(BacktestError) {
        self.configuration = configuration
        var rules: [Symbol: SymbolRules] = [:]
        for market in configuration.markets { rules[market.symbol] = Self.rules(market) }
        var engine = SimulatedExchange.Configuration()
        engine.takerFee = configuration.feeRate
        engine.makerFee = configuration.feeRate
        engine.halfSpreadTicks = configuration.halfSpreadTicks
        var exchange = SimulatedExchange(rules: rules, configuration: engine)
        exchange.openAccount(Self.account, balance: configuration.balance)
        for market in configuration.markets {
            do { _ = try exchange.setLeverage(Self.account, symbol: market.symbol, leverage: configuration.leverage.rawValue) } catch {
                throw BacktestError(.arithmetic, "\(market.symbol): leverage \(configuration.leverage.rawValue) refused: \(error.message)")
            }
        }
        let start = EpochMillis(series.compactMap(\.openTimes.first).min() ?? 0)
        paper = PaperExchange(engine: exchange, funding: FundingSchedule(defaultRate: configuration.fundingRate), start: start)
        books = zip(series, configuration.markets).map { SymbolBacktest(columns: $0, market: $1, configuration: configuration) }
        next = Array(repeating: 0, count: series.count)
        equity = series.map { [Double](repeating: 0, count: $0.count) }
        exposed = Array(repeating: 0, count: series.count)
        signals = Array(repeating: [], count: series.count)
    }

    /// The engine's rules for a market: the catalog's filters where it lists the symbol, wide ones otherwise, with the
    /// configuration's tick and step.
    static func rules(_ market: BacktestConfiguration.Market) -> SymbolRules {
        let wide = SymbolRules.LotRule(minQuantity: market.stepSize, maxQuantity: Quantity(units: 1_000_000_000 * Quantity.one),
                                       stepSize: market.stepSize)
        var rules = SymbolCatalog.rules[market.symbol] ?? SymbolRules(
            symbol: market.symbol, status: "TRADING", pricePrecision: 8, quantityPrecision: 8, tickSize: market.tickSize,
            minPrice: market.tickSize, maxPrice: Price(units: 1_000_000_000 * Price.one), lot: wide, marketLot: wide, minNotional: .zero)
        rules.tickSize = market.tickSize
        rules.pricePrecision = decimals(market.tickSize.units)
        rules.quantityPrecision = decimals(market.stepSize.units)
        rules.minPrice = market.tickSize
        rules.lot.stepSize = market.stepSize
        rules.marketLot.stepSize = market.stepSize
        rules.lot.minQuantity = min(rules.lot.minQuantity, market.stepSize)
        rules.marketLot.minQuantity = min(rules.marketLot.minQuantity, market.stepSize)
        return rules
    }

    /// The decimals a step of `units` (10⁻⁸) needs: 2 for 0.01, 0 for 1.
    static func decimals(_ units: Int64) -> Int {
        var places = 8
        var rest = units
        while places > 0, rest % 10 == 0, rest != 0 {
            rest /= 10
            places -= 1
        }
        return places
    }

    /// Runs every market's bars; `progress` hears the bars done.
    static func run(_ configuration: BacktestConfiguration, series: [BarColumns], progress: (@Sendable (Int) -> Void)?) throws(BacktestError)
        -> [SymbolResult] {
        var run = try VenueBacktest(configuration, series: series)
        do { try run.play(progress: progress) } catch { throw BacktestError(.arithmetic, error.message) }
        return run.books.indices.map { index in
            let book = run.books[index]
            return SymbolResult(
                symbol: book.columns.symbol, interval: book.columns.interval, firstOpenTime: book.columns.openTimes.first ?? 0,
                bars: book.columns.count, trades: book.trades, cumulativePnL: run.equity[index], exposedBars: run.exposed[index],
                refusedSignals: book.refusedSignals, signals: run.signals[index])
        }
    }

    /// Plays the minutes in time order: opening ticks, decisions on the bars they closed, then each bar's later ticks.
    mutating func play(progress: (@Sendable (Int) -> Void)?) throws(MoneyError) {
        let offsets = IntraBarPath.offsets(configuration.interval)
        while let time = books.indices.compactMap({ next[$0] < books[$0].columns.count ? books[$0].columns.openTimes[next[$0]] : nil }).min() {
            let playing = books.indices.filter { next[$0] < books[$0].columns.count && books[$0].columns.openTimes[next[$0]] == time }
            for symbol in playing { try tick(symbol, bar: next[symbol], point: 0, at: time + offsets[0]) }
            for symbol in playing where next[symbol] > 0 { try decide(symbol, bar: next[symbol] - 1, fills: true) }
            for point in 1..<4 {
                for symbol in playing { try tick(symbol, bar: next[symbol], point: point, at: time + offsets[point]) }
            }
            for symbol in playing {
                mark(symbol, bar: next[symbol])
                next[symbol] += 1
            }
            progress?(playing.count)
            _ = paper.engine.drainEvents(Self.account)
        }
        // The last bars close with nothing after them: their crosses are signals without fills, and what is open closes
        // at the last price.
        for symbol in books.indices where books[symbol].columns.count > 0 {
            let last = books[symbol].columns.count - 1
            try decide(symbol, bar: last, fills: false)
            if let open = books[symbol].position {
                let price = try closePosition(symbol, open) ?? Price(units: books[symbol].columns.closes[last])
                try books[symbol].exit(open, at: price, index: last, reason: .endOfData)
                equity[symbol][last] = books[symbol].realized.doubleValue
            }
        }
    }

    /// Applies one path point of a symbol's bar, then books a stop the engine fired on it.
    mutating func tick(_ symbol: Int, bar: Int, point: Int, at time: Int64) throws(MoneyError) {
        let columns = books[symbol].columns
        let price = Price(units: IntraBarPath.price(point, open: columns.opens[bar], high: columns.highs[bar], low: columns.lows[bar],
                                                    close: columns.closes[bar]))
        // Funding settles before the tick moves the market, at the marks the engine holds then.
        let due = time >= paper.nextFundingTime.rawValue
        let marks = due ? paper.engine.markets : [:]
        let held = due ? Dictionary(uniqueKeysWithValues: books.map { ($0.columns.symbol, heldQuantity($0.columns.symbol)) }) : [:]
        let outcome = paper.apply(MarketTick(symbol: columns.symbol, time: EpochMillis(time), lastPrice: price, markPrice: price))
        for settlement in outcome?.settlements ?? [] { try payFunding(settlement, marks: marks, held: held) }
        guard let open = books[symbol].position, heldQuantity(columns.symbol).isZero else { return }
        // Flat on the exchange with a position booked: its stop closed it on this tick, or, with the stop still waiting,
        // a liquidation did.
        let account = paper.engine.account(Self.account)
        let fill = account?.trades.last { $0.symbol == columns.symbol }
        let stopWaiting = stops[columns.symbol].flatMap { account?.algoOrder(clientAlgoID: $0) }?.status == .new
        try books[symbol].exit(open, at: fill?.price ?? price, index: bar, reason: stopWaiting ? .liquidation : .stop, time: EpochMillis(time))
        cancelStop(columns.symbol)
    }

    /// Books what a funding settlement took from (or paid to) the symbol's position, as the engine computed it from the
    /// mark it held: quantity × mark × rate, longs paying a positive rate.
    mutating func payFunding(_ settlement: PaperExchange.FundingSettlement, marks: [Symbol: SimulatedExchange.MarketPrice],
                             held: [Symbol: Quantity]) throws(MoneyError) {
        guard let index = books.firstIndex(where: { $0.columns.symbol == settlement.symbol }), books[index].position != nil,
              let mark = marks[settlement.symbol]?.mark, let quantity = held[settlement.symbol] else { return }
        try books[index].payFunding(try (try mark.notional(of: quantity)).fraction(settlement.rate))
    }

    /// The decisions on a closed bar: the target at its close, then the strategy's cross; with `fills`, the orders go to
    /// the engine at the market of the tick that closed the bar.
    mutating func decide(_ symbol: Int, bar: Int, fills: Bool) throws(MoneyError) {
        let columns = books[symbol].columns
        let close = columns.closes[bar]
        var exit: BacktestExit?
        if let open = books[symbol].position, open.direction == .long ? close >= open.target.units : close <= open.target.units {
            exit = .target
        }
        let scale = 1 / Double(Price.one)
        guard let cross = books[symbol].kernel.step(high: Double(columns.highs[bar]) * scale, low: Double(columns.lows[bar]) * scale,
                                                    close: Double(close) * scale) else { return try exitIfDecided(symbol, exit, fills: fills) }
        signals[symbol].append(BacktestSignal(openTime: columns.openTimes[bar], direction: cross.direction, close: Price(units: close)))
        if let open = books[symbol].position {
            if exit == nil, open.direction != cross.direction, configuration.exitOnCross { exit = .cross }
            return try exitIfDecided(symbol, exit, fills: fills)
        }
        guard fills, let mid = paper.engine.markets[columns.symbol]?.last else { return }
        guard let entry = try books[symbol].entry(cross.direction, decidedAt: Price(units: close), market: mid, margined: mid) else { return }
        guard let fill = place(columns.symbol, side: entry.direction == .long ? .buy : .sell, quantity: entry.quantity, reduceOnly: false) else {
            books[symbol].refusedSignals += 1
            return
        }
        try books[symbol].record(entry, filledAt: fill, index: next[symbol])
        nextClientID += 1
        let stopID = "bt-stop-\(nextClientID)"
        let stop = NewAlgoOrderRequest(symbol: columns.symbol, side: entry.direction == .long ? .sell : .buy, type: "STOP_MARKET",
                                       triggerPrice: entry.stop, workingType: .markPrice, closePosition: true, clientAlgoID: stopID)
        if (try? paper.engine.placeAlgoOrder(Self.account, stop, time: paper.time)) != nil {
            stops[columns.symbol] = stopID
        } else if let open = books[symbol].position {
            // A stop the engine refuses (the market already through it) leaves nothing to hold the position: out at once.
            let price = try closePosition(symbol, open) ?? fill
            try books[symbol].exit(open, at: price, index: next[symbol], reason: .stop, time: paper.time)
        }
    }

    /// Closes the booked position at the market when an exit was decided and fills are on.
    mutating func exitIfDecided(_ symbol: Int, _ reason: BacktestExit?, fills: Bool) throws(MoneyError) {
        guard fills, let reason, let open = books[symbol].position, let price = try closePosition(symbol, open) else { return }
        try books[symbol].exit(open, at: price, index: next[symbol], reason: reason, time: paper.time)
    }

    /// A reduce-only market order for the whole position, and its stop cancelled; the fill's average price.
    mutating func closePosition(_ symbol: Int, _ open: SymbolBacktest.OpenPosition) throws(MoneyError) -> Price? {
        let name = books[symbol].columns.symbol
        defer { cancelStop(name) }
        return place(name, side: open.direction == .long ? .sell : .buy, quantity: open.quantity, reduceOnly: true)
    }

    /// A market order on the engine; its average price, or `nil` when the engine refused it or it filled nothing.
    mutating func place(_ symbol: Symbol, side: OrderSide, quantity: Quantity, reduceOnly: Bool) -> Price? {
        nextClientID += 1
        let request = NewOrderRequest(symbol: symbol, side: side, type: "MARKET", quantity: quantity, reduceOnly: reduceOnly,
                                      clientOrderID: "bt-\(nextClientID)")
        guard let order = try? paper.engine.placeOrder(Self.account, request, time: paper.time), order.executedQuantity.isPositive else { return nil }
        return order.averagePrice
    }

    /// Cancels the symbol's stop, if it is still open.
    mutating func cancelStop(_ symbol: Symbol) {
        guard let id = stops.removeValue(forKey: symbol) else { return }
        _ = try? paper.engine.cancelAlgoOrder(Self.account, algoID: nil, clientAlgoID: id, time: paper.time)
    }

    /// The account's signed position in `symbol`.
    func heldQuantity(_ symbol: Symbol) -> Quantity {
        paper.engine.account(Self.account)?.positions[PositionKey(symbol: symbol, side: .both)]?.quantity ?? .zero
    }

    /// Records a bar's equity (realised plus the open position at the close) and exposure.
    mutating func mark(_ symbol: Int, bar: Int) {
        let marked = books[symbol].marked(atClose: books[symbol].columns.closes[bar])
        if marked.exposed { exposed[symbol] += 1 }
        equity[symbol][bar] = marked.value
    }
}
