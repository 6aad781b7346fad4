import QuantumCore
import QuantumVenue
import QuantumSim

/// Faults the simulator injects on purpose, so the trading system can be shown to survive them.
///
/// Counted faults hit the next N matching requests or events and then stop; switches stay until
/// cleared. Set through the Swift API (`ExchangeHost.updateFaults`) or the loopback admin endpoint.
public struct FaultPlan: Hashable, Sendable {
    /// Added before every REST reply.
    public var latency: Duration = .zero
    /// The next N order placements (order and algoOrder POST) are executed but get no reply: the
    /// connection closes, the client sees a timeout, the order exists.
    public var droppedResponses = 0
    /// The next N order placements are executed at once but answered only after `placementDelay`
    /// (a client with a shorter timeout sees a timeout; the order exists).
    public var delayedPlacements = 0
    public var placementDelay: Duration = .seconds(3)
    /// The next N order placements are held on their way to the matching engine and executed `lateExecutionDelay`
    /// later (still inside their recvWindow); the client sees its connection fail at once. A query in between finds
    /// nothing: only a client that waits out the request's recvWindow before sending again avoids a second order.
    public var lateExecutions = 0
    public var lateExecutionDelay: Duration = .seconds(3)
    /// The next N order placements are executed, then answered with `serverErrorStatus` (Binance's
    /// "execution status unknown"): the client must look the order up, not assume it failed.
    public var failedAfterExecution = 0
    /// The next N order placements are executed, then answered 200 with a cut-off body that is not JSON.
    public var garbledResponses = 0
    /// The next N REST requests fail with `serverErrorStatus` and are not executed.
    public var serverErrors = 0
    /// The status of injected server errors (408, 500, 502, 503 …): all mean "execution status unknown".
    public var serverErrorStatus = 503
    /// The next N REST requests get 429 `-1003`, as in a rate-limit storm, and are not executed.
    public var rateLimitStorm = 0
    /// The next N REST requests get 418 (the IP banned for `banLength`), and are not executed.
    public var bans = 0
    public var banLength: Duration = .seconds(120)
    /// The next N signed REST requests are refused with -1021 (the client's clock out of the recvWindow), not executed.
    public var refusedTimestamps = 0
    /// The next N opening orders (`POST /fapi/v1/order` without `reduceOnly`) are refused with -2019 "Margin is
    /// insufficient" and not executed, whatever the account holds (the venue knows better than the pre-trade check, FM-26).
    public var refusedOpens = 0
    /// The next N reduce-only orders are refused with -4131 (the book too thin for a market order) and not executed.
    public var refusedExits = 0
    /// The next N user-stream events are lost (never delivered to any connection).
    public var droppedUserEvents = 0
    /// The next N user-stream events are delivered twice (as after a reconnect that replays).
    public var duplicatedUserEvents = 0
    /// The next N user-stream events are held back for `userEventDelay` (events after them overtake them: reordered).
    public var delayedUserEvents = 0
    public var userEventDelay: Duration = .seconds(5)
    /// The next N MARKET orders fill in two trades (PARTIALLY_FILLED, then FILLED), as an order walking the book does.
    public var partialFills = 0
    /// MARKET orders reply with status NEW and nothing executed, even with `newOrderRespType=RESULT`
    /// (the testnet's behaviour): the fills only show on the user stream and in queries.
    public var marketRepliesNew = false

    public init() {}

    /// Whether no fault is set.
    public var isClear: Bool { self == FaultPlan() }

    /// The plan as JSON (`GET /admin/faults`).
    public var json: JSONValue {
        [
            "latencyMs": .integer(latency.wholeMilliseconds),
            "droppedResponses": .integer(Int64(droppedResponses)),
            "delayedPlacements": .integer(Int64(delayedPlacements)),
            "placementDelayMs": .integer(placementDelay.wholeMilliseconds),
            "failedAfterExecution": .integer(Int64(failedAfterExecution)),
            "garbledResponses": .integer(Int64(garbledResponses)),
            "serverErrors": .integer(Int64(serverErrors)),
            "serverErrorStatus": .integer(Int64(serverErrorStatus)),
            "rateLimitStorm": .integer(Int64(rateLimitStorm)),
            "refusedOpens": .integer(Int64(refusedOpens)),
            "refusedExits": .integer(Int64(refusedExits)),
            "droppedUserEvents": .integer(Int64(droppedUserEvents)),
            "bans": .integer(Int64(bans)),
            "lateExecutions": .integer(Int64(lateExecutions)),
            "refusedTimestamps": .integer(Int64(refusedTimestamps)),
            "duplicatedUserEvents": .integer(Int64(duplicatedUserEvents)),
            "banLengthMs": .integer(banLength.wholeMilliseconds),
            "lateExecutionDelayMs": .integer(lateExecutionDelay.wholeMilliseconds),
            "delayedUserEvents": .integer(Int64(delayedUserEvents)),
            "userEventDelayMs": .integer(userEventDelay.wholeMilliseconds),
            "partialFills": .integer(Int64(partialFills)),
            "marketRepliesNew": .bool(marketRepliesNew),
        ]
    }
}
