import QuantumCore
import QuantumVenue

extension BinanceFuturesVenue {
    /// Binance's "no such order" (query) and "unknown order" (cancel) codes.
    static let orderAbsentCodes: Set<Int> = [-2013, -2011]

    public func submit(_ order: VenueOrderRequest) async -> Submission<SubmissionOutcome> {
        let call = orderCall(order)
        let result = await resolveSubmission(
            of: order.clientOrderID,
            place: { (signed) async throws(VenueError) -> VenueOrder in
                let json = try await self.sendOnce(call, signed: signed)
                return try self.decoded("order") { () throws(WireDecodingError) in try VenueOrder(binance: json) }
            },
            query: { () async throws(VenueError) -> VenueOrder? in
                try await self.order(order.clientOrderID, symbol: order.symbol, priority: order.priority)
            })
        return Submission(outcome: SubmissionOutcome(result.outcome), sends: result.sends, queries: result.queries)
    }

    public func place(_ order: VenueOrderRequest) async -> OrderPlacement {
        // The executor's single send: an open comes back "not sent" rather than wait for budget (it is judged again).
        var call = orderCall(order)
        call.waitsForBudget = order.reduceOnly
        do {
            let json = try await sendOnce(call)
            return .placed(try decoded("order") { () throws(WireDecodingError) in try VenueOrder(binance: json) })
        } catch {
            if error.code == .timestamp {
                logger.warning("venue refused the order's timestamp; resyncing the clock", metadata: ["clientOrderId": "\(order.clientOrderID)"])
                _ = try? await synchroniseClock()
            }
            return OrderPlacement(failure: error)
        }
    }

    /// `POST /fapi/v1/order` for a request, asking for the RESULT reply.
    private func orderCall(_ order: VenueOrderRequest) -> RESTCall {
        var parameters: [(name: String, value: String)] = [
            ("symbol", order.symbol.rawValue), ("side", order.side.rawValue), ("type", order.type.rawValue),
            ("quantity", order.quantity.description),
        ]
        if order.type == .limit {
            parameters.append(("timeInForce", (order.timeInForce ?? .gtc).rawValue))
            if let price = order.price { parameters.append(("price", price.description)) }
        }
        if order.reduceOnly { parameters.append(("reduceOnly", "true")) }
        parameters.append(("newClientOrderId", order.clientOrderID.rawValue))
        parameters.append(("newOrderRespType", "RESULT"))
        return RESTCall(.post, "/fapi/v1/order", parameters, weight: 0, orders: 1, priority: order.priority)
    }

    public func order(_ clientOrderID: ClientOrderID, symbol: Symbol, priority: RequestPriority = .reconciliation) async throws(VenueError) -> VenueOrder? {
        do {
            let json = try await send(RESTCall(.get, "/fapi/v1/order", [("symbol", symbol.rawValue), ("origClientOrderId", clientOrderID.rawValue)],
                                               weight: 1, priority: priority))
            return try decoded("order") { () throws(WireDecodingError) in try VenueOrder(binance: json) }
        } catch where error.binanceCode.map(Self.orderAbsentCodes.contains) == true {
            return nil
        }
    }

    public func cancel(_ clientOrderID: ClientOrderID, symbol: Symbol) async throws(VenueError) -> VenueOrder? {
        let call = RESTCall(.delete, "/fapi/v1/order", [("symbol", symbol.rawValue), ("origClientOrderId", clientOrderID.rawValue)],
                            weight: 1, priority: .protective)
        return try await cancelSafely(
            call,
            decode: { (json) throws(WireDecodingError) -> VenueOrder in try VenueOrder(binance: json) },
            lookUp: { () async throws(VenueError) -> VenueOrder? in try await self.order(clientOrderID, symbol: symbol, priority: .protective) },
            isOpen: { $0.status.isOpen })
    }

    public func openOrders(symbol: Symbol? = nil) async throws(VenueError) -> [VenueOrder] {
        let json = try await send(RESTCall(.get, "/fapi/v1/openOrders", symbolParameter(symbol), weight: symbol == nil ? 40 : 1,
                                           priority: .reconciliation))
        return try decodedList("openOrders", json) { (row) throws(WireDecodingError) in try VenueOrder(binance: row) }
    }

    public func userTrades(symbol: Symbol, from start: EpochMillis? = nil, limit: Int = 500) async throws(VenueError) -> [UserTrade] {
        var parameters = symbolParameter(symbol)
        if let start { parameters.append(("startTime", String(start.rawValue))) }
        parameters.append(("limit", String(min(max(limit, 1), 1_000))))
        let json = try await send(RESTCall(.get, "/fapi/v1/userTrades", parameters, weight: 5, priority: .reconciliation))
        return try decodedList("userTrades", json) { (row) throws(WireDecodingError) in try UserTrade(binance: row) }
    }

    public func trades(ofOrder orderID: Int64, symbol: Symbol) async throws(VenueError) -> [UserTrade] {
        let parameters = symbolParameter(symbol) + [("orderId", String(orderID))]
        let json = try await send(RESTCall(.get, "/fapi/v1/userTrades", parameters, weight: 5, priority: .reconciliation))
        return try decodedList("userTrades", json) { (row) throws(WireDecodingError) in try UserTrade(binance: row) }
    }

    // MARK: - Conditional orders

    public func submitConditional(_ order: ConditionalOrderRequest) async -> Submission<Resolution<VenueAlgoOrder>> {
        var parameters: [(name: String, value: String)] = [
            ("algoType", "CONDITIONAL"), ("symbol", order.symbol.rawValue), ("side", order.side.rawValue), ("type", order.kind.rawValue),
            ("triggerPrice", order.triggerPrice.description), ("workingType", order.workingType.rawValue),
        ]
        if order.closePosition {
            parameters.append(("closePosition", "true"))
        } else if let quantity = order.quantity {
            parameters.append(("quantity", quantity.description))
            parameters.append(("reduceOnly", "true"))
        }
        parameters.append(("clientAlgoId", order.clientAlgoID.rawValue))
        let call = RESTCall(.post, "/fapi/v1/algoOrder", parameters, weight: 0, orders: 1, priority: .protective)
        let result = await resolveSubmission(
            of: order.clientAlgoID,
            place: { (signed) async throws(VenueError) -> VenueAlgoOrder in
                let json = try await self.sendOnce(call, signed: signed)
                return try self.decoded("algoOrder") { () throws(WireDecodingError) in try VenueAlgoOrder(binance: json) }
            },
            query: { () async throws(VenueError) -> VenueAlgoOrder? in try await self.conditionalOrder(order.clientAlgoID) })
        return Submission(outcome: result.outcome, sends: result.sends, queries: result.queries)
    }

    public func conditionalOrder(_ clientAlgoID: ClientOrderID, priority: RequestPriority) async throws(VenueError) -> VenueAlgoOrder? {
        do {
            let json = try await send(RESTCall(.get, "/fapi/v1/algoOrder", [("clientAlgoId", clientAlgoID.rawValue)], weight: 1,
                                               priority: priority))
            return try decoded("algoOrder") { () throws(WireDecodingError) in try VenueAlgoOrder(binance: json) }
        } catch where error.binanceCode.map(Self.orderAbsentCodes.contains) == true {
            return nil
        }
    }

    public func cancelConditional(_ clientAlgoID: ClientOrderID) async throws(VenueError) -> VenueAlgoOrder? {
        let call = RESTCall(.delete, "/fapi/v1/algoOrder", [("clientAlgoId", clientAlgoID.rawValue)], weight: 1, priority: .protective)
        return try await cancelSafely(
            call,
            decode: { (json) throws(WireDecodingError) -> VenueAlgoOrder in try VenueAlgoOrder(binance: json) },
            lookUp: { () async throws(VenueError) -> VenueAlgoOrder? in try await self.conditionalOrder(clientAlgoID) },
            isOpen: { $0.status.isLive })
    }

    /// Cancels through `call`: `nil` when the venue knows no such open order; after an ambiguous
    /// failure the order is looked up and the cancel repeated only if it is still open (cancels are idempotent).
    private func cancelSafely<Order>(
        _ call: RESTCall, decode: (JSONValue) throws(WireDecodingError) -> Order,
        lookUp: () async throws(VenueError) -> Order?, isOpen: (Order) -> Bool
    ) async throws(VenueError) -> Order? {
        do {
            let json = try await send(call)
            return try decoded(call.path) { () throws(WireDecodingError) in try decode(json) }
        } catch where error.binanceCode.map(Self.orderAbsentCodes.contains) == true {
            return nil
        } catch where error.isAmbiguous {
            guard let order = try await lookUp() else { return nil }
            guard isOpen(order) else { return order }
            let json = try await send(call)
            return try decoded(call.path) { () throws(WireDecodingError) in try decode(json) }
        }
    }

    public func openConditionalOrders(symbol: Symbol?, priority: RequestPriority) async throws(VenueError) -> [VenueAlgoOrder] {
        let json = try await send(RESTCall(.get, "/fapi/v1/openAlgoOrders", symbolParameter(symbol), weight: symbol == nil ? 40 : 1,
                                           priority: priority))
        return try decodedList("openAlgoOrders", json) { (row) throws(WireDecodingError) in try VenueAlgoOrder(binance: row) }
    }

    // MARK: - The resolver's shell

    /// Drives a `SubmissionResolver`: sends, queries by client id on ambiguity, resends only on proof of absence.
    func resolveSubmission<Placed: Hashable & Sendable>(
        of clientID: ClientOrderID,
        place: (SignedTimestamp) async throws(VenueError) -> Placed,
        query: () async throws(VenueError) -> Placed?
    ) async -> (outcome: Resolution<Placed>, sends: Int, queries: Int) {
        var resolver = SubmissionResolver<Placed>(configuration: configuration.submission)
        var action = resolver.start()
        var lastSendError: VenueError?
        while true {
            switch action {
            case .send, .resend:
                if case .resend(let delay) = action {
                    guard await pause(delay) else { return (.unresolved(Self.cancelled), resolver.sends, resolver.queries) }
                    if lastSendError?.code == .timestamp { _ = try? await synchroniseClock() }
                }
                let signed = SignedTimestamp()
                do {
                    let placed = try await place(signed)
                    action = resolver.event(.sent(.success(placed), timestamp: signed.timestamp ?? venueNow(), recvWindow: configuration.recvWindow))
                } catch {
                    // Not signed: refused before it left (budget, ban), so it cannot land; `now` is a safe bound anyway.
                    let timestamp = signed.timestamp ?? venueNow()
                    lastSendError = error
                    if error.isAmbiguous {
                        logger.warning("order outcome ambiguous; querying by client order id before anything else",
                                       metadata: ["clientOrderId": "\(clientID)", "error": "\(error)"])
                    }
                    action = resolver.event(.sent(.failure(error), timestamp: timestamp, recvWindow: configuration.recvWindow))
                }
            case .query(let delay):
                guard await pause(delay) else { return (.unresolved(Self.cancelled), resolver.sends, resolver.queries) }
                do {
                    if let found = try await query() {
                        action = resolver.event(.found(found))
                    } else {
                        action = resolver.event(.absent(now: venueNow()))
                    }
                } catch {
                    action = resolver.event(.queryFailed(error))
                }
            case .finish(let resolution):
                if case .unresolved(let error) = resolution {
                    logger.error("order still unresolved after the query budget; it stays open in the journal",
                                 metadata: ["clientOrderId": "\(clientID)", "error": "\(error)"])
                }
                return (resolution, resolver.sends, resolver.queries)
            }
        }
    }

    static let cancelled = VenueError(.halted, "cancelled while resolving the order; resolve it again by its client order id")

    /// Sleeps on the venue clock; `false` when cancelled.
    func pause(_ delay: Duration) async -> Bool {
        guard delay > .zero else { return !Task.isCancelled }
        do {
            try await clock.sleep(for: delay)
            return true
        } catch {
            return false
        }
    }
}
