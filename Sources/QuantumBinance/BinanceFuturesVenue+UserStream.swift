import Logging
import QuantumCore
import QuantumVenue
import Synchronization

extension BinanceFuturesVenue {
    /// Runs the user-data stream until cancelled (see `Venue.runUserStream`).
    ///
    /// Each round: create a listen key, connect, resync over REST (positions, open orders, open
    /// conditional orders, fills since just before the disconnect) and hand that snapshot over
    /// *before* the connection's events, then relay events while a keep-alive runs every 30 minutes.
    /// The round ends on a server close, a `listenKeyExpired` event or a failed keep-alive; the next
    /// starts at once the first time and with a doubling delay while rounds keep failing.
    public func runUserStream(symbols: [Symbol], _ handler: @escaping @Sendable (VenueEvent) async -> Void) async throws(VenueError) {
        var failures = 0
        var horizon: EpochMillis?
        while !Task.isCancelled {
            if failures > 0 {
                guard await pause(reconnectDelay(afterFailures: failures)) else { return }
            }
            let key: String
            do {
                key = try await createListenKey()
            } catch {
                if error.code == .banned || error.code == .authentication || error.code == .configuration { throw error }
                logger.warning("could not create a listen key; retrying", metadata: ["error": "\(error)"])
                failures += 1
                continue
            }
            let round = UserStreamRound(listenKey: key)
            let since = horizon ?? venueNow().advanced(by: .zero - configuration.initialTradeLookback)
            let isFirst = horizon == nil
            do {
                try await transport.stream(url: endpoints.userStreamURL(listenKey: key)) { session in
                    try await self.userSession(session, round: round, symbols: symbols, since: since, isFirst: isFirst, handler: handler)
                }
            } catch {
                updateHealth { $0.user.lastError = "\(error)" }
                logger.warning("user stream connection failed", metadata: ["error": "\(error)"])
            }
            let wasUp = round.resynced
            updateHealth {
                if $0.user.isConnected { $0.user.disconnects += 1 }
                $0.user.isConnected = false
            }
            if wasUp {
                horizon = (round.lastEventTime ?? venueNow()).advanced(by: .zero - configuration.resyncLookback)
                failures = round.expired ? 0 : (round.lastedBriefly ? failures + 1 : 0)
            } else {
                failures += 1
            }
            if round.expired { logger.notice("listen key expired; creating a new one") }
        }
    }

    /// One connection's life: resync, then relay frames with a keep-alive beside.
    private func userSession(
        _ session: VenueStreamSession, round: UserStreamRound, symbols: [Symbol], since: EpochMillis, isFirst: Bool,
        handler: @escaping @Sendable (VenueEvent) async -> Void
    ) async throws {
        let connectedAt = venueNow()
        updateHealth {
            $0.user.isConnected = true
            $0.user.connects += 1
            $0.user.lastConnected = connectedAt
        }
        let snapshot: VenueSnapshot
        do {
            snapshot = try await resync(symbols: symbols, since: since, reportMissed: !isFirst)
        } catch {
            // Throwing ends the connection; the next round reconnects and resyncs again.
            logger.warning("resync after connect failed; reconnecting", metadata: ["error": "\(error)"])
            throw error
        }
        round.markResynced(at: connectedAt)
        await handler(.resynced(snapshot))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await session.read { text in
                    await self.relayUserFrame(text, round: round, handler: handler)
                }
            }
            group.addTask {
                while true {
                    try await self.clock.sleep(for: self.configuration.listenKeyKeepAlive)
                    do {
                        try await self.keepAliveListenKey(round.listenKey)
                    } catch {
                        // Cancelled because the reader ended (it closes the connection itself): nothing to do.
                        if Task.isCancelled || (error as? VenueError)?.code == .halted { return }
                        self.logger.warning("listen key keep-alive failed; reconnecting with a new key", metadata: ["error": "\(error)"])
                        round.markExpired()
                        await session.close()
                        return
                    }
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    /// Decodes and hands over one frame; `false` ends the connection (listen key expired).
    private func relayUserFrame(_ text: String, round: UserStreamRound, handler: @Sendable (VenueEvent) async -> Void) async -> Bool {
        let now = venueNow()
        updateHealth { $0.user.lastMessage = now }
        let event: VenueEvent?
        do {
            let json = try JSONValue(parsing: text)
            let type = try json.string("e")
            round.noteEvent(at: EpochMillis((try? json.integer("E")) ?? now.rawValue))
            switch type {
            case "ORDER_TRADE_UPDATE":
                let update = try OrderTradeUpdate(binance: json)
                if let trade = update.trade { state.withLock { _ = $0.seenTrades.insert(trade.tradeID) } }
                event = .order(update)
            case "ACCOUNT_UPDATE":
                event = .account(try AccountChange(binance: json))
            case "ALGO_UPDATE":
                event = .algo(try VenueAlgoOrder(binanceUpdate: json))
            case "listenKeyExpired":
                round.markExpired()
                return false
            default:
                event = nil
            }
        } catch {
            // A frame we cannot read is reported and skipped; the next resync re-reads the account.
            logger.error("undecodable user-stream frame skipped", metadata: ["error": "\(error)", "frame": "\(text.prefix(200))"])
            return true
        }
        if let event { await handler(event) }
        return true
    }

    /// Reads the account over REST after a (re)connect.
    func resync(symbols: [Symbol], since: EpochMillis, reportMissed: Bool) async throws(VenueError) -> VenueSnapshot {
        let positions = try await positions(symbol: nil)
        let orders = try await openOrders(symbol: nil)
        let algos = try await openConditionalOrders(symbol: nil)
        var trades: [UserTrade] = []
        for symbol in Set(symbols + positions.map(\.symbol)).sorted() {
            trades += try await userTrades(symbol: symbol, from: since, limit: 1_000)
        }
        trades.sort { ($0.time, $0.tradeID) < ($1.time, $1.tradeID) }
        let missed = state.withLock { state in
            trades.filter { state.seenTrades.insert($0.tradeID) && reportMissed }
        }
        let now = venueNow()
        updateHealth {
            $0.resyncs += 1
            $0.recoveredTrades += missed.count
        }
        if !missed.isEmpty {
            logger.warning("resync found fills the stream did not deliver", metadata: ["count": "\(missed.count)"])
        }
        return VenueSnapshot(positions: positions, openOrders: orders, openAlgoOrders: algos, trades: trades, missedTrades: missed, time: now)
    }

    /// `POST /fapi/v1/listenKey`.
    func createListenKey() async throws(VenueError) -> String {
        let json = try await send(RESTCall(.post, "/fapi/v1/listenKey", security: .apiKey, weight: 1, priority: .protective))
        let key = try decoded("listenKey") { () throws(WireDecodingError) in try json.string("listenKey") }
        updateHealth { $0.listenKeysCreated += 1 }
        return key
    }

    /// `PUT /fapi/v1/listenKey`; -1125 means the key is gone.
    func keepAliveListenKey(_ key: String) async throws(VenueError) {
        _ = try await send(RESTCall(.put, "/fapi/v1/listenKey", [("listenKey", key)], security: .apiKey, weight: 1, priority: .protective))
    }

    /// The delay before reconnect attempt `failures` (1-based): doubling from `reconnectDelay`, capped.
    func reconnectDelay(afterFailures failures: Int) -> Duration {
        var delay = configuration.reconnectDelay
        for _ in 1..<max(1, min(failures, 16)) { delay = min(delay * 2, configuration.maximumReconnectDelay) }
        return min(delay, configuration.maximumReconnectDelay)
    }
}

/// What one user-stream connection learned, shared between its reader and keep-alive tasks.
final class UserStreamRound: Sendable {
    let listenKey: String
    private struct State {
        var resyncedAt: EpochMillis?
        var lastEventTime: EpochMillis?
        var expired = false
    }
    private let state = Mutex(State())

    init(listenKey: String) { self.listenKey = listenKey }

    func markResynced(at time: EpochMillis) { state.withLock { $0.resyncedAt = time } }
    func markExpired() { state.withLock { $0.expired = true } }
    func noteEvent(at time: EpochMillis) { state.withLock { $0.lastEventTime = max($0.lastEventTime ?? time, time) } }

    var resynced: Bool { state.withLock { $0.resyncedAt != nil } }
    var expired: Bool { state.withLock { $0.expired } }
    var lastEventTime: EpochMillis? { state.withLock { $0.lastEventTime ?? $0.resyncedAt } }
    /// Whether the connection ended without a single event after its resync (a flapping server).
    var lastedBriefly: Bool { state.withLock { $0.lastEventTime == nil } }
}
