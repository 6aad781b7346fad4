import QuantumCore
import QuantumSim

/// The Binance USDⓈ-M REST surface of the simulator, transport-free: a request and the time in, a reply out.
///
/// It owns everything a request touches — the paper exchange, the authenticator, the weight and
/// order-count limiters, the listen keys and the fault plan — so one serialised owner (the
/// server's `ExchangeHost` actor, or a test) drives it. Checks run in Binance's order: injected
/// faults, parameters, IP weight (429, then 418), API key and signature, order counts, the endpoint.
public struct ExchangeDesk: Sendable {
    /// Limits, credentials and starting balance.
    public struct Configuration: Sendable {
        /// Accounts: one per credential, each opened with `startingBalance` USDT.
        public var credentials: [APICredential]
        public var startingBalance: Notional
        public var authentication = RequestAuthenticator.Configuration()
        public var weights = WeightLimiter.Configuration()
        public var orderCounts = OrderCountLimiter.Configuration()
        /// Leverage brackets served by `leverageBracket` (and applied by the engine).
        public var brackets: LeverageBracketTable?
        public var listenKeyValidity: Duration = .seconds(3_600)

        public init(credentials: [APICredential], startingBalance: Notional) {
            self.credentials = credentials
            self.startingBalance = startingBalance
        }
    }

    public let configuration: Configuration
    public var paper: PaperExchange
    public var faults = FaultPlan()
    public internal(set) var listenKeys: ListenKeys
    var authenticator: RequestAuthenticator
    var weights: WeightLimiter
    var orderCounts: OrderCountLimiter
    var bookUpdateID: Int64 = 1
    var aggTradeID: Int64 = 1
    /// Stream throttles: the last markPrice push per symbol and speed.
    var lastMarkPush: [String: EpochMillis] = [:]
    /// User-stream events held back by the "delayed user events" fault, with when each goes out.
    var heldUserEvents: [(release: EpochMillis, event: StreamEvent)] = []
    /// The earliest market time for engine calls (set by the host when there is no feed, so order times follow the wall clock).
    public var marketClockFloor = EpochMillis(0)

    /// A desk over a paper exchange; opens an account per credential (brackets, if given, are applied to the engine).
    public init(paper: PaperExchange, configuration: Configuration) {
        var paper = paper
        if let brackets = configuration.brackets { paper.engine.useLeverageBrackets(brackets) }
        for credential in configuration.credentials where paper.engine.account(credential.apiKey) == nil {
            paper.engine.openAccount(credential.apiKey, balance: configuration.startingBalance)
        }
        self.paper = paper
        self.configuration = configuration
        self.authenticator = RequestAuthenticator(credentials: configuration.credentials, configuration: configuration.authentication)
        self.weights = WeightLimiter(configuration: configuration.weights)
        self.orderCounts = OrderCountLimiter(configuration: configuration.orderCounts)
        self.listenKeys = ListenKeys(validity: configuration.listenKeyValidity)
    }

    /// The engine, to read. Changes go through `paper.engine` directly: a computed setter would copy the
    /// engine on every change and make each order cost as much as the account's whole history.
    public var engine: SimulatedExchange { paper.engine }

    /// Answers one REST request at `now`.
    public mutating func handle(_ request: BinanceRequest, at now: EpochMillis) -> DeskReply {
        var reply = respond(request, at: now)
        reply.delay = max(reply.delay, faults.latency)
        return reply
    }

    private mutating func respond(_ request: BinanceRequest, at now: EpochMillis) -> DeskReply {
        let ip = request.remoteAddress ?? "127.0.0.1"
        if faults.rateLimitStorm > 0 {
            faults.rateLimitStorm -= 1
            return DeskReply(error: EdgeErrors.tooMuchWeight(limit: configuration.weights.limit), status: 429, retryAfter: 60,
                             usedWeight: weights.usedWeight(ip: ip, at: now))
        }
        if faults.bans > 0 {
            faults.bans -= 1
            let seconds = faults.banLength.components.seconds
            return DeskReply(error: EdgeErrors.ipBanned(until: now.advanced(by: faults.banLength)), status: 418, retryAfter: Int(seconds),
                             usedWeight: weights.usedWeight(ip: ip, at: now))
        }
        if faults.refusedTimestamps > 0, request.query.contains("signature=") || String(decoding: request.body, as: UTF8.self).contains("signature=") {
            faults.refusedTimestamps -= 1
            return DeskReply(error: ExchangeError(code: -1021, message: "Timestamp for this request is outside of the recvWindow."), status: 400,
                             retryAfter: nil, usedWeight: weights.usedWeight(ip: ip, at: now))
        }
        if faults.serverErrors > 0 {
            faults.serverErrors -= 1
            return DeskReply(error: EdgeErrors.executionStatusUnknown, status: faults.serverErrorStatus, retryAfter: nil,
                             usedWeight: weights.usedWeight(ip: ip, at: now))
        }
        guard let route = Self.routes[RouteKey(method: request.method, path: request.path)] else {
            return DeskReply(error: EdgeErrors.invalidPath(request.path, method: request.method),
                             status: 404, retryAfter: nil, usedWeight: weights.usedWeight(ip: ip, at: now))
        }
        let parameters: BinanceParameters
        do { parameters = try request.parameters() } catch {
            return DeskReply(error: error, usedWeight: weights.usedWeight(ip: ip, at: now))
        }
        let cost = RequestWeights.cost(method: request.method, path: request.path, parameters: parameters)
        let weight = weights.admit(ip: ip, weight: cost.weight, at: now)
        if let rejection = weight.rejection {
            return DeskReply(error: rejection.error, status: rejection.status, retryAfter: rejection.retryAfterSeconds, usedWeight: weight.usedWeight)
        }
        var reply: DeskReply
        do throws(ExchangeError) {
            let security = SecurityType.of(method: request.method, path: request.path)
            let authenticated = try authenticator.authenticate(request, security: security, serverTime: now)
            var orderHeaders: (Int, Int)?
            if cost.isOrder, let account = authenticated.apiKey {
                let verdict = orderCounts.admit(account: account, cost: cost, at: now)
                if let rejection = verdict.rejection {
                    var refused = DeskReply(error: rejection.error, status: rejection.status, retryAfter: rejection.retryAfterSeconds,
                                            usedWeight: weight.usedWeight)
                    refused.orderCounts = (verdict.count10s, verdict.count1m)
                    return refused
                }
                orderHeaders = (verdict.count10s, verdict.count1m)
            }
            if route.dropsResponseOnFault, request.path == "/fapi/v1/order", let refusal = placementRefusal(authenticated.parameters) {
                throw refusal
            }
            let call = DeskCall(parameters: authenticated.parameters, apiKey: authenticated.apiKey, now: now, marketTime: max(paper.time, marketClockFloor))
            let body = try route.handler(&self, call)
            reply = DeskReply(status: 200, body: body, usedWeight: weight.usedWeight)
            reply.orderCounts = orderHeaders
            if route.dropsResponseOnFault { reply = applyPlacementFaults(to: reply) }
        } catch {
            reply = DeskReply(error: error, usedWeight: weight.usedWeight)
        }
        return reply
    }
}

extension ExchangeDesk {
    /// A refusal fault that hits this order placement before it executes (-2019 for opens, -4131 for reduce-only).
    mutating func placementRefusal(_ parameters: BinanceParameters) -> ExchangeError? {
        if parameters.string("reduceOnly") == "true" || parameters.string("closePosition") == "true" {
            guard faults.refusedExits > 0 else { return nil }
            faults.refusedExits -= 1
            return EdgeErrors.marketOrderRejected
        }
        guard faults.refusedOpens > 0 else { return nil }
        faults.refusedOpens -= 1
        return .marginInsufficient
    }

    /// The faults that hit an order placement after it was executed: no reply, a 5xx, or a cut-off body.
    mutating func applyPlacementFaults(to reply: DeskReply) -> DeskReply {
        var reply = reply
        if faults.droppedResponses > 0 {
            faults.droppedResponses -= 1
            reply.drop = true
        } else if faults.delayedPlacements > 0 {
            faults.delayedPlacements -= 1
            reply.delay = faults.placementDelay
        } else if faults.failedAfterExecution > 0 {
            faults.failedAfterExecution -= 1
            var failed = DeskReply(error: EdgeErrors.executionStatusUnknown, status: faults.serverErrorStatus, usedWeight: reply.usedWeight)
            failed.orderCounts = reply.orderCounts
            reply = failed
        } else if faults.garbledResponses > 0 {
            faults.garbledResponses -= 1
            reply.garble = true
        }
        return reply
    }
}

/// One request as a handler sees it: verified parameters, the account's key, the time.
public struct DeskCall: Sendable {
    public var parameters: BinanceParameters
    /// The verified API key: it names the account. `nil` on public endpoints.
    public var apiKey: String?
    /// The wall-clock time: authentication, `serverTime`, listen keys.
    public var now: EpochMillis
    /// The market's time (the latest tick): orders, fills and events are stamped with it.
    public var marketTime: EpochMillis

    /// The account of a signed or keyed endpoint.
    func account() throws(ExchangeError) -> String {
        guard let apiKey else { throw EdgeErrors.unauthorized }
        return apiKey
    }
}
