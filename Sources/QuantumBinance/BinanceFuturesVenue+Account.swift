import Foundation
import QuantumCore
import QuantumVenue

extension BinanceFuturesVenue {
    public func symbolRules() async throws(VenueError) -> [Symbol: SymbolRules] {
        let reply = try await perform(RESTCall(.get, "/fapi/v1/exchangeInfo", security: .none, weight: 1, priority: .reconciliation))
        let json: JSONValue
        do { json = try JSONValue(parsing: reply.body) } catch {
            throw VenueError(.undecodable, "GET /fapi/v1/exchangeInfo: the reply is not JSON (\(error))")
        }
        let declared = try decoded("exchangeInfo") { () throws(WireDecodingError) in try DeclaredRateLimits(exchangeInfo: json) }
        state.withLock { $0.budget.adopt(declared) }
        do { return try ExchangeInfo.parse(Data(reply.body)) } catch {
            throw VenueError(.undecodable, "GET /fapi/v1/exchangeInfo: \(error)")
        }
    }

    public func serverTime() async throws(VenueError) -> EpochMillis {
        let json = try await send(RESTCall(.get, "/fapi/v1/time", security: .none, weight: 1, priority: .reconciliation))
        return try decoded("time") { () throws(WireDecodingError) in try json.time("serverTime") }
    }

    /// Measures the venue's clock (`samples` round trips) and keeps the offset; returns it.
    @discardableResult
    public func synchroniseClock(samples: Int = 3) async throws(VenueError) -> Duration {
        for _ in 0..<max(1, samples) {
            let sent = clock.now()
            let json = try await sendOnce(RESTCall(.get, "/fapi/v1/time", security: .none, weight: 1, priority: .reconciliation))
            let received = clock.now()
            let serverTime = try decoded("time") { () throws(WireDecodingError) in try json.time("serverTime") }
            state.withLock { $0.offset.record(.init(sent: sent, serverTime: serverTime, received: received)) }
        }
        return clockOffset
    }

    public func klines(symbol: Symbol, interval: KlineInterval, limit: Int = 500) async throws(VenueError) -> [KlineUpdate] {
        let bounded = min(max(limit, 1), 1_500)
        let json = try await send(RESTCall(.get, "/fapi/v1/klines",
                                           [("symbol", symbol.rawValue), ("interval", interval.rawValue), ("limit", String(bounded))],
                                           security: .none, weight: BinanceWeights.klines(limit: bounded), priority: .data))
        let now = venueNow()
        return try decodedList("klines", json) { (row) throws(WireDecodingError) in
            try KlineUpdate(binanceRow: row, symbol: symbol, interval: interval, now: now)
        }
    }

    public func account() async throws(VenueError) -> VenueAccount {
        let json = try await send(RESTCall(.get, "/fapi/v2/account", weight: 5, priority: .reconciliation))
        return try decoded("account") { () throws(WireDecodingError) in try VenueAccount(binance: json) }
    }

    public func positions(symbol: Symbol? = nil) async throws(VenueError) -> [VenuePosition] {
        let json = try await send(RESTCall(.get, "/fapi/v2/positionRisk", symbolParameter(symbol), weight: 5, priority: .reconciliation))
        let rows = try decodedList("positionRisk", json) { (row) throws(WireDecodingError) in try VenuePosition(binance: row) }
        return symbol == nil ? rows.filter { !$0.quantity.isZero } : rows
    }

    public func symbolConfigurations(symbol: Symbol? = nil) async throws(VenueError) -> [SymbolConfiguration] {
        let json = try await send(RESTCall(.get, "/fapi/v1/symbolConfig", symbolParameter(symbol), weight: 5, priority: .reconciliation))
        return try decodedList("symbolConfig", json) { (row) throws(WireDecodingError) in try SymbolConfiguration(binance: row) }
    }

    public func positionMode() async throws(VenueError) -> PositionMode {
        let json = try await send(RESTCall(.get, "/fapi/v1/positionSide/dual", weight: 30, priority: .reconciliation))
        let hedge = try decoded("positionSide/dual") { () throws(WireDecodingError) in try json.boolean("dualSidePosition") }
        return hedge ? .hedge : .oneWay
    }

    public func setPositionMode(_ mode: PositionMode) async throws(VenueError) {
        do {
            _ = try await send(RESTCall(.post, "/fapi/v1/positionSide/dual", [("dualSidePosition", mode == .hedge ? "true" : "false")],
                                        priority: .reconciliation))
        } catch where error.binanceCode == -4059 {
            // "No need to change position side": already in that mode.
        }
    }

    public func setLeverage(_ leverage: Leverage, for symbol: Symbol) async throws(VenueError) -> SymbolConfiguration {
        let json = try await send(RESTCall(.post, "/fapi/v1/leverage", [("symbol", symbol.rawValue), ("leverage", String(leverage.rawValue))],
                                           priority: .reconciliation))
        return try decoded("leverage") { () throws(WireDecodingError) in try SymbolConfiguration(binance: json) }
    }

    public func setMarginType(_ type: MarginType, for symbol: Symbol) async throws(VenueError) {
        do {
            _ = try await send(RESTCall(.post, "/fapi/v1/marginType", [("symbol", symbol.rawValue), ("marginType", type.rawValue)],
                                        priority: .reconciliation))
        } catch where error.binanceCode == -4046 {
            // "No need to change margin type".
        }
    }

    // MARK: - Decoding helpers

    func symbolParameter(_ symbol: Symbol?) -> [(name: String, value: String)] {
        symbol.map { [("symbol", $0.rawValue)] } ?? []
    }

    /// Runs a decoder, turning its failure into an `undecodable` venue error naming the endpoint and field.
    func decoded<T>(_ what: String, _ decode: () throws(WireDecodingError) -> T) throws(VenueError) -> T {
        do { return try decode() } catch {
            throw VenueError(.undecodable, "\(what): \(error)")
        }
    }

    /// Decodes every element of an array reply.
    func decodedList<T>(_ what: String, _ json: JSONValue, _ decode: (JSONValue) throws(WireDecodingError) -> T) throws(VenueError) -> [T] {
        try decoded(what) { () throws(WireDecodingError) in
            var values: [T] = []
            for (index, row) in try json.elements().enumerated() {
                do throws(WireDecodingError) { values.append(try decode(row)) } catch { throw error.within("[\(index)]") }
            }
            return values
        }
    }
}
