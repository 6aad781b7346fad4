import Foundation
import Metrics
import Logging
import QuantumCore
import QuantumVenue

/// A raw REST reply: status, the rate-limit headers, and the body.
struct RESTReply: Sendable {
    var status: Int
    var body: [UInt8]
    var usedWeight: Int?
    var orderCount10s: Int?
    var orderCount1m: Int?
    var retryAfter: Duration?
}

extension BinanceFuturesVenue {
    /// Sends `call` and decodes the JSON reply; a -1021 (clock drift) resyncs the clock and retries once,
    /// which is safe because Binance refuses such a request before executing it.
    func send(_ call: RESTCall) async throws(VenueError) -> JSONValue {
        do {
            return try await sendOnce(call)
        } catch where error.code == .timestamp {
            logger.warning("venue refused the timestamp; resyncing the clock", metadata: ["path": "\(call.path)"])
            try await synchroniseClock()
            return try await sendOnce(call)
        }
    }

    /// Sends `call` once; the timestamp it was signed with is written to `signed`.
    func sendOnce(_ call: RESTCall, signed: SignedTimestamp? = nil) async throws(VenueError) -> JSONValue {
        let reply = try await perform(call, signed: signed)
        do {
            return try JSONValue(parsing: reply.body)
        } catch {
            throw VenueError(.undecodable, "\(call.method.rawValue) \(call.path): the reply is not JSON (\(error))",
                             httpStatus: reply.status)
        }
    }

    /// Waits for the budget, signs, sends, feeds the reply's headers back to the budget, and maps error replies.
    ///
    /// The timestamp is taken after the wait: one taken before it could be older than the recvWindow by the time
    /// the request leaves (-1021). It is written to `signed` for callers that judge when the request can still land.
    func perform(_ call: RESTCall, signed: SignedTimestamp? = nil) async throws(VenueError) -> RESTReply {
        try await acquireBudget(for: call)
        let timestamp = venueNow()
        signed?.record(timestamp)
        let request = try makeRequest(call, timestamp: timestamp)
        let reply: RESTReply
        let started = ContinuousClock.now
        defer {
            Timer(label: "quantum_exchange_request_seconds", dimensions: [("method", "\(call.method.rawValue) \(call.path)")])
                .recordNanoseconds((ContinuousClock.now - started).nanoseconds)
        }
        do {
            let response = try await transport.send(request, timeout: configuration.requestTimeout)
            reply = RESTReply(
                status: response.status, body: response.body,
                usedWeight: response.header("X-MBX-USED-WEIGHT-1M").flatMap { Int($0) },
                orderCount10s: response.header("X-MBX-ORDER-COUNT-10S").flatMap { Int($0) },
                orderCount1m: response.header("X-MBX-ORDER-COUNT-1M").flatMap { Int($0) },
                retryAfter: response.header("Retry-After").flatMap { Int64($0) }.map { .seconds($0) })
        } catch {
            throw VenueError(error.code, "\(call.method.rawValue) \(call.path): \(error.message)", httpStatus: error.httpStatus)
        }
        let now = venueNow()
        let headroom = state.withLock {
            $0.budget.observe(usedWeight: reply.usedWeight, orderCount10s: reply.orderCount10s, orderCount1m: reply.orderCount1m, at: now)
            return ($0.budget.headroom(for: .protective, at: now), $0.budget.configuration)
        }
        Self.recordHeadroom(headroom.0, of: headroom.1)
        guard (200..<300).contains(reply.status) else { throw errorReply(reply, call: call, at: now) }
        return reply
    }

    /// Blocks until the budget lets `call` go, or throws when the IP is banned.
    private func acquireBudget(for call: RESTCall) async throws(VenueError) {
        while true {
            let now = venueNow()
            let decision = state.withLock { $0.budget.request(weight: call.weight, orders: call.orders, priority: call.priority, at: now) }
            switch decision {
            case .proceed:
                return
            case .refuse(let error):
                throw error
            case .wait(let until) where !call.waitsForBudget:
                throw VenueError(.rateLimited, "\(call.path): no rate-limit budget for this priority now; not sent",
                                 retryAfter: until.duration(since: now))
            case .wait(let until):
                logger.debug("rate-limit budget: waiting", metadata: ["path": "\(call.path)", "priority": "\(call.priority)",
                                                                    "until": "\(until)"])
                do { try await clock.sleep(for: until.duration(since: now)) } catch {
                    throw VenueError(.halted, "cancelled while waiting for rate-limit budget")
                }
            }
        }
    }

    private func makeRequest(_ call: RESTCall, timestamp: EpochMillis) throws(VenueError) -> TransportRequest {
        var encoded: String
        switch call.security {
        case .signed:
            guard let signer else { throw VenueError(.configuration, "\(call.path) needs API credentials and none are configured") }
            encoded = signer.signedParameters(call.parameters, timestamp: timestamp,
                                              recvWindow: configuration.recvWindow.wholeMilliseconds)
        case .none, .apiKey:
            encoded = FormURLEncoding.encode(call.parameters)
        }
        var url = endpoints.restBase + call.path
        if !call.sendsBody, !encoded.isEmpty {
            url += "?" + encoded
            encoded = ""
        }
        var request = TransportRequest(method: call.method.rawValue, url: url)
        if call.security != .none {
            guard let credentials else { throw VenueError(.configuration, "\(call.path) needs an API key and none is configured") }
            request.headers.append((name: "X-MBX-APIKEY", value: credentials.apiKey.revealed))
        }
        if call.sendsBody {
            request.headers.append((name: "Content-Type", value: "application/x-www-form-urlencoded"))
            request.body = Array(encoded.utf8)
        }
        return request
    }

    /// Maps a non-2xx reply, updating the budget on 429/418.
    private func errorReply(_ reply: RESTReply, call: RESTCall, at now: EpochMillis) -> VenueError {
        var code: Int?
        var message = "HTTP \(reply.status)"
        if let json = try? JSONValue(parsing: reply.body) {
            code = (try? json.integer("code")).map { Int($0) }
            message = (try? json.string("msg")) ?? message
        }
        let error = VenueError.reply(status: reply.status, binanceCode: code, message: "\(call.method.rawValue) \(call.path): \(message)",
                                     retryAfter: reply.retryAfter)
        switch error.code {
        case .banned:
            state.withLock { $0.budget.banned(retryAfter: reply.retryAfter, at: now) }
            logger.critical("the venue banned this IP (HTTP 418); requests are halted until the ban ends",
                            metadata: ["retryAfter": "\(reply.retryAfter.map { "\($0)" } ?? "unknown")"])
        case .rateLimited where reply.status == 429:
            state.withLock { $0.budget.rateLimited(retryAfter: reply.retryAfter, at: now) }
            logger.error("rate limited by the venue (HTTP 429); backing off",
                         metadata: ["retryAfter": "\(reply.retryAfter.map { "\($0)" } ?? "default")"])
        case .authentication:
            logger.error("the venue refused the credentials", metadata: ["path": "\(call.path)", "code": "\(code ?? 0)"])
        default:
            break
        }
        return error
    }

    /// The share of each venue limit still free, as gauges (`quantum_exchange_rate_limit_headroom{limit}`, 0…1).
    static func recordHeadroom(_ headroom: RateLimitBudget.Headroom, of limits: RateLimitBudget.Configuration) {
        func share(_ left: Int, _ limit: Int) -> Double { limit > 0 ? max(0, min(1, Double(left) / Double(limit))) : 1 }
        Gauge(label: "quantum_exchange_rate_limit_headroom", dimensions: [("limit", "weight_1m")]).record(share(headroom.weight, limits.weightPerMinute))
        Gauge(label: "quantum_exchange_rate_limit_headroom", dimensions: [("limit", "orders_10s")])
            .record(share(headroom.ordersPerTenSeconds, limits.ordersPerTenSeconds))
        Gauge(label: "quantum_exchange_rate_limit_headroom", dimensions: [("limit", "orders_1m")]).record(share(headroom.ordersPerMinute, limits.ordersPerMinute))
    }
}

extension Duration {
    /// The duration in whole nanoseconds.
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
