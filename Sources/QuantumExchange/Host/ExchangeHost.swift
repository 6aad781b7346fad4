import QuantumCore
import QuantumVenue
import QuantumSim

/// The running simulator: owns the desk, paces the market feed on a clock, and fans stream events
/// out to the WebSocket connections.
///
/// An actor, so every request, tick and frame is applied one at a time in arrival order — the
/// exchange is one serialised state, like a real matching engine. Transport-free: the HTTP server
/// calls `handle`, `connect`, `receive` and `disconnect`; tests may call them directly too.
public actor ExchangeHost {
    /// How fast market time runs against the clock.
    public enum Speed: Sendable, Equatable, CustomStringConvertible {
        /// One market second per clock second.
        case realTime
        /// `factor` market seconds per clock second.
        case multiplier(Double)
        /// As fast as the CPU allows (yielding between ticks so requests are still served).
        case max

        /// Parses `1`, `10`, `0.5`, `x10`, `max`.
        public init?(_ text: String) {
            let lowered = text.lowercased()
            if lowered == "max" { self = .max; return }
            let digits = lowered.hasPrefix("x") ? String(lowered.dropFirst()) : lowered
            guard let factor = Double(digits), factor.isFinite, factor > 0 else { return nil }
            self = factor == 1 ? .realTime : .multiplier(factor)
        }

        public var description: String {
            switch self {
            case .realTime: "1"
            case .multiplier(let factor): String(factor)
            case .max: "max"
            }
        }
    }

    /// A frame for one connection, or the order to close it.
    public enum Outbound: Sendable, Equatable {
        case text(String)
        case close
    }

    private struct Connection {
        var session: StreamSession
        var continuation: AsyncStream<Outbound>.Continuation
    }

    public let clock: any EpochClock
    public let speed: Speed
    private var desk: ExchangeDesk
    private var feed: (any MarketFeed & Sendable)?
    private var connections: [Int: Connection] = [:]
    private var nextConnectionID = 1
    private var subscribed: Set<StreamName> = []
    /// Market time and clock time of the feed's first tick (set by `prime()`).
    private var origin: (feed: EpochMillis, wall: EpochMillis)?
    /// Awaited by the feed loop after 1-minute bars closed (symbol → close time), before the market moves on.
    private var barrier: (@Sendable ([Symbol: EpochMillis]) async -> Void)?
    /// Awaited by the feed loop after a tick moved a position by itself (a stop or take-profit fired, a resting order
    /// filled, a liquidation): symbol → the signed position now of each account whose position moved (zero when flat),
    /// before the tick's market frames go out.
    private var settle: (@Sendable ([Symbol: [String: Quantity]]) async -> Void)?
    /// Told the clock time of each next tick before the loop waits for it, and `nil` when the feed has ended.
    private var advance: (@Sendable (EpochMillis?) -> Void)?
    /// The clock time the loop waits for next (set while it waits).
    private var nextDue: EpochMillis?
    /// The feed has no more ticks (or there is none).
    private var feedEnded = false
    /// Order placements held by the `lateExecutions` fault, and when each reaches the matching engine.
    private var late: [(request: BinanceRequest, due: EpochMillis)] = []
    /// Bars closed by the feed and not yet passed to the barrier, and the time of the tick that closed the last of them.
    private var closing: (bars: [Symbol: EpochMillis], at: EpochMillis)?
    /// Each symbol's bar that closed just before the feed's first tick (set by `prime()`): the last bar of the history
    /// a run starts from, which a paced run waits for the system to have handled before the market first moves.
    public private(set) var openingBars: [Symbol: EpochMillis] = [:]
    /// The minute of each symbol's last tick from the feed.
    private var tickMinute: [Symbol: Int64] = [:]
    /// The most recent REST requests, oldest first: what tests assert on.
    public private(set) var requestLog: [RequestRecord] = []
    /// How many requests the log keeps (at least).
    public static let requestLogCapacity = 10_000
    /// Frames a connection may have queued before it is closed as too slow (Binance drops slow clients too).
    public static let outboundLimit = 65_536

    /// A host over a desk; `feed` (if any) is paced by `run()` at `speed` on `clock`.
    public init(desk: ExchangeDesk, feed: (any MarketFeed & Sendable)?, clock: any EpochClock, speed: Speed = .realTime) {
        self.desk = desk
        self.feed = feed
        self.clock = clock
        self.speed = speed
    }

    // MARK: - REST

    /// Answers a REST request, then pushes the user events it caused.
    public func handle(_ request: BinanceRequest) -> DeskReply {
        let now = clock.now()
        if feed == nil { desk.marketClockFloor = now }
        executeLateRequests(at: now)
        if desk.faults.lateExecutions > 0, request.method == .post, request.path == "/fapi/v1/order" {
            // Held on its way to the matching engine: executed later, the client's connection failing now.
            desk.faults.lateExecutions -= 1
            late.append((request, now.advanced(by: desk.faults.lateExecutionDelay)))
            var reply = DeskReply(error: EdgeErrors.executionStatusUnknown, status: 503, usedWeight: 0)
            reply.drop = true
            record(request, reply: reply, at: now)
            return reply
        }
        let reply = desk.handle(request, at: now)
        publish(desk.drainUserStreams(at: now))
        record(request, reply: reply, at: now)
        return reply
    }

    private func record(_ request: BinanceRequest, reply: DeskReply, at now: EpochMillis) {
        // Only order endpoints carry a client id; other requests skip the second parameter parse.
        let parameters = request.path.contains("rder") ? try? request.parameters() : nil
        let clientID = parameters.flatMap { p in p.string("newClientOrderId") ?? p.string("origClientOrderId") ?? p.string("clientAlgoId") }
        requestLog.append(RequestRecord(method: request.method.rawValue, path: request.path, clientOrderID: clientID,
                                        status: reply.drop ? nil : reply.status, time: now, symbol: parameters?.string("symbol")))
        if requestLog.count > 2 * Self.requestLogCapacity { requestLog.removeFirst(Self.requestLogCapacity) }
    }

    /// Executes the held order placements whose time has come (the `lateExecutions` fault), as the matching engine
    /// would have when they reached it.
    private func executeLateRequests(at now: EpochMillis) {
        guard late.contains(where: { $0.due <= now }) else { return }
        let due = late.filter { $0.due <= now }
        late.removeAll { $0.due <= now }
        for (request, _) in due {
            let reply = desk.handle(request, at: now)
            publish(desk.drainUserStreams(at: now))
            record(request, reply: reply, at: now)
        }
    }

    // MARK: - Market

    /// Applies one tick now (tests, the admin endpoint, and the feed loop).
    public func apply(_ tick: MarketTick) {
        executeLateRequests(at: clock.now())
        publish(desk.advance(tick, subscribed: subscribed))
        publish(desk.drainUserStreams(at: clock.now()))
    }

    /// Applies a tick as `apply(_:)` does, but when it moved a position by itself, publishes the user-stream events first
    /// and awaits `settle` before the market frames.
    private func apply(_ tick: MarketTick, settling settle: @Sendable ([Symbol: [String: Quantity]]) async -> Void) async {
        executeLateRequests(at: clock.now())
        let before = positions(tick.symbol)
        let frames = desk.advance(tick, subscribed: subscribed)
        publish(desk.drainUserStreams(at: clock.now()))
        let after = positions(tick.symbol)
        var moved: [String: Quantity] = [:]
        for key in Set(before.keys).union(after.keys) where before[key] != after[key] { moved[key] = after[key] ?? .zero }
        if !moved.isEmpty { await settle([tick.symbol: moved]) }
        publish(frames)
    }

    /// Every account's signed position in `symbol` (both sides summed in hedge mode); flat accounts are left out.
    private func positions(_ symbol: Symbol) -> [String: Quantity] {
        var held: [String: Quantity] = [:]
        for (key, account) in desk.paper.engine.accounts {
            var total = Quantity.zero
            for (position, ledger) in account.positions where position.symbol == symbol {
                total = (try? total + ledger.quantity) ?? total
            }
            if !total.isZero { held[key] = total }
        }
        return held
    }

    /// Applies the feed's opening ticks (every symbol's first price) so the exchange quotes from its first request.
    ///
    /// Sets the pacing origin. A feed that starts in the last hour (shifted to start when the exchange was set up)
    /// is paced on its own timestamps, so a bar's time is the clock's time when it closes and the set-up delay is
    /// caught up at once; any other feed starts "now" on the clock. (Pacing from "now" made every replayed bar
    /// arrive the set-up delay late — 10 market minutes at 600× — and signal-bot refused them all as stale.)
    public func prime() {
        guard origin == nil, let first = feed?.nextTime else { return }
        let now = clock.now()
        let behind = now.rawValue - first.rawValue
        origin = (first, (0...3_600_000).contains(behind) ? first : now)
        while let next = feed?.nextTime, next <= first, let tick = feed?.next() {
            apply(tick)
            openingBars[tick.symbol] = EpochMillis(tick.time.rawValue / 60_000 * 60_000 - 1)
        }
    }

    /// Makes the feed wait for `barrier` whenever 1-minute bars have closed: after the ticks that closed them (every
    /// symbol's, at that time), before the next one. A paced replay waits there for its consumers (before they have
    /// subscribed too: the market does not run ahead while the system starts).
    ///
    /// `advance` is told the clock time of each next tick before the loop waits for it (a paced clock lets market time
    /// run up to there and no further), and `nil` once the feed has ended.
    ///
    /// `settle`, when given, is awaited after a tick that moved a position by itself (a conditional order fired, a resting
    /// order filled, a liquidation), with the symbol's position now in each account it moved, after the tick's user-stream events and
    /// before its market frames: a paced system has settled a stop's fill before it sees the bar that tick closed, as
    /// a backtest of the same bars assumes.
    public func pace(with barrier: @escaping @Sendable ([Symbol: EpochMillis]) async -> Void,
                     advance: (@Sendable (EpochMillis?) -> Void)? = nil,
                     settle: (@Sendable ([Symbol: [String: Quantity]]) async -> Void)? = nil) {
        self.barrier = barrier
        self.advance = advance
        self.settle = settle
        if feedEnded {
            advance?(nil)
        } else if let nextDue {
            advance?(nextDue)
        }
    }

    /// Paces the feed until it is exhausted or the task is cancelled (listen keys expire through `expireListenKeys()`,
    /// which the server calls every second whether or not ticks arrive).
    public func run() async throws {
        prime()
        guard let (first, wallStart) = origin else {
            feedEnded = true
            advance?(nil)
            return
        }
        var sinceYield = 0
        while let next = feed?.nextTime {
            try Task.checkCancellation()
            if let barrier, let closing, next > closing.at {
                self.closing = nil
                await barrier(closing.bars)
            }
            switch speed {
            case .max:
                sinceYield += 1
                if sinceYield >= 64 {
                    sinceYield = 0
                    await Task.yield()
                }
            case .realTime, .multiplier:
                let factor = if case .multiplier(let f) = speed { f } else { 1.0 }
                let offset = Double(next.rawValue - first.rawValue) / factor
                let due = wallStart.rawValue + Int64(offset.rounded(.up))
                nextDue = EpochMillis(due)
                advance?(EpochMillis(due))
                try await clock.sleep(until: EpochMillis(due))
                nextDue = nil
            }
            if let tick = feed?.next() {
                if let settle { await apply(tick, settling: settle) } else { apply(tick) }
                noteBarClose(tick)
            }
        }
        // Past the recorded market, time runs on freely.
        feedEnded = true
        advance?(nil)
    }

    /// Records the 1-minute bar a feed tick closed (the first tick of a later minute closes the symbol's bar).
    private func noteBarClose(_ tick: MarketTick) {
        let minute = tick.time.rawValue / 60_000
        defer { tickMinute[tick.symbol] = minute }
        guard barrier != nil, let previous = tickMinute[tick.symbol], minute > previous else { return }
        var bars = closing?.bars ?? [:]
        bars[tick.symbol] = EpochMillis(previous * 60_000 + 59_999)
        closing = (bars, tick.time)
    }

    /// Sends `listenKeyExpired` for keys past their validity (called by the server every second, and by tests).
    public func expireListenKeys() {
        publish(desk.expireListenKeys(at: clock.now()))
    }

    // MARK: - WebSocket connections

    /// Opens a stream connection for a URL path and query; `nil` (HTTP 404) for a path that is not a stream endpoint.
    public func connect(path: String, query: String) -> (id: Int, frames: AsyncStream<Outbound>)? {
        guard let session = StreamSession(path: path, query: query) else { return nil }
        let (stream, continuation) = AsyncStream.makeStream(of: Outbound.self, bufferingPolicy: .bufferingOldest(Self.outboundLimit))
        let id = nextConnectionID
        nextConnectionID += 1
        connections[id] = Connection(session: session, continuation: continuation)
        refreshSubscriptions()
        return (id, stream)
    }

    /// Handles a text frame of a connection (SUBSCRIBE …); the reply is queued on its frames.
    public func receive(_ id: Int, text: String) {
        guard var connection = connections[id] else { return }
        let reply = connection.session.receive(text)
        connections[id] = connection
        send(reply, to: id)
        refreshSubscriptions()
    }

    /// Forgets a connection (the client went away).
    public func disconnect(_ id: Int) {
        connections.removeValue(forKey: id)?.continuation.finish()
        refreshSubscriptions()
    }

    /// Closes every stream connection (fault injection); returns how many were open.
    @discardableResult
    public func disconnectAll() -> Int {
        let count = connections.count
        for connection in connections.values {
            connection.continuation.yield(.close)
            connection.continuation.finish()
        }
        connections = [:]
        refreshSubscriptions()
        return count
    }

    /// The number of open stream connections.
    public var connectionCount: Int { connections.count }

    /// Whether connections follow the 1-minute klines of every symbol of `symbols` and some account's user data: what a
    /// paced run's system must hear before the market moves, or the first bar closes where no one listens.
    public func isFollowed(klinesOf symbols: some Sequence<Symbol>) -> Bool {
        symbols.allSatisfy { subscribed.contains(.kline($0, .oneMinute)) }
            && subscribed.contains { if case .userData = $0 { true } else { false } }
    }

    private func refreshSubscriptions() {
        subscribed = connections.values.reduce(into: Set<StreamName>()) { $0.formUnion($1.session.subscriptions) }
    }

    private func publish(_ events: [StreamEvent]) {
        guard !events.isEmpty, !connections.isEmpty else { return }
        let ordered = connections.keys.sorted()
        for event in events {
            for id in ordered {
                if let frame = connections[id]?.session.frame(for: event) { send(frame, to: id) }
            }
        }
    }

    private func send(_ text: String, to id: Int) {
        guard let connection = connections[id] else { return }
        if case .dropped = connection.continuation.yield(.text(text)) {
            // Too slow to keep up: close it rather than lose events silently; the client reconnects and reconciles.
            disconnect(id)
        }
    }

    // MARK: - Faults and administration

    /// Changes the fault plan.
    public func updateFaults(_ change: (inout FaultPlan) -> Void) {
        change(&desk.faults)
    }

    /// The current fault plan.
    public var faults: FaultPlan { desk.faults }

    /// Reads the desk (tests, reports).
    public func inspect<T: Sendable>(_ read: (ExchangeDesk) -> T) -> T { read(desk) }

    /// Runs an admin command; returns the JSON reply.
    public func perform(_ command: AdminCommand) throws(ExchangeError) -> JSONValue {
        let now = clock.now()
        switch command {
        case .showFaults:
            return desk.faults.json
        case .setFaults(let patch):
            patch.apply(to: &desk.faults)
            return desk.faults.json
        case .clearFaults:
            desk.faults = FaultPlan()
            return desk.faults.json
        case .disconnectStreams:
            return ["disconnected": .integer(Int64(disconnectAll()))]
        case .reset(let apiKey, let balance):
            let keys = apiKey.map { [$0] } ?? desk.engine.accounts.keys.sorted()
            for key in keys {
                try desk.paper.engine.resetAccount(key, balance: balance ?? desk.configuration.startingBalance, time: desk.paper.time)
            }
            return ["reset": .array(keys.map(JSONValue.string))]
        case .adjustPosition(let apiKey, let symbol, let side, let quantity, let entryPrice):
            try desk.paper.engine.adjustPosition(apiKey, symbol: symbol, side: side, quantity: quantity, entryPrice: entryPrice,
                                           time: max(desk.paper.time, now))
            publish(desk.drainUserStreams(at: now))
            return BinanceJSON.positionRiskV2(try AccountView(exchange: desk.engine, key: apiKey, time: now))
        case .liquidate(let apiKey, let symbol):
            guard desk.engine.rules[symbol] != nil else { throw .badSymbol }
            let liquidated = desk.paper.engine.forceLiquidation(apiKey, symbol: symbol, time: max(desk.paper.time, now))
            publish(desk.drainUserStreams(at: now))
            return ["symbol": .string(symbol.rawValue), "liquidated": .bool(liquidated)]
        case .marketTick(let symbol, let last, let mark):
            guard desk.engine.rules[symbol] != nil else { throw .badSymbol }
            apply(MarketTick(symbol: symbol, time: max(desk.paper.time, now), lastPrice: last, markPrice: mark))
            return ["symbol": .string(symbol.rawValue), "price": .plain(last), "mark": .plain(mark)]
        case .status:
            return [
                "serverTime": .time(now),
                "marketTime": .time(desk.paper.time),
                "speed": .string(speed.description),
                "symbols": .array(desk.engine.rules.keys.sorted().map { .string($0.rawValue) }),
                "accounts": .integer(Int64(desk.engine.accounts.count)),
                "streamConnections": .integer(Int64(connections.count)),
                "feedExhausted": .bool(feed?.nextTime == nil),
            ]
        }
    }
}

