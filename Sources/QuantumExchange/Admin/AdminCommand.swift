import QuantumCore
import QuantumSim

/// A command of the simulator's admin endpoint (`/admin/…`, loopback only): faults, resets, manual changes.
public enum AdminCommand: Sendable, Equatable {
    /// `GET /admin/faults`.
    case showFaults
    /// `POST /admin/faults?latencyMs=…&droppedResponses=…&failedAfterExecution=…&delayedPlacements=…&placementDelayMs=…&garbledResponses=…&serverErrors=…&serverErrorStatus=…&rateLimitStorm=…&refusedOpens=…&refusedExits=…&droppedUserEvents=…&duplicatedUserEvents=…&marketRepliesNew=…&bans=…&banLengthMs=…&refusedTimestamps=…&lateExecutions=…&lateExecutionDelayMs=…&delayedUserEvents=…&userEventDelayMs=…&partialFills=…`:
    /// sets the fields sent, keeps the others.
    case setFaults(FaultPatch)
    /// `POST /admin/faults/clear`.
    case clearFaults
    /// `POST /admin/streams/disconnect`: closes every WebSocket connection.
    case disconnectStreams
    /// `POST /admin/reset[?apiKey=…][&balance=…]`: wipes positions and orders (one account or all), restores the balance.
    case reset(apiKey: String?, balance: Notional?)
    /// `POST /admin/position?apiKey=…&symbol=…&quantity=…&entryPrice=…[&positionSide=…]`: sets a position as a manual trade would.
    case adjustPosition(apiKey: String, symbol: Symbol, side: PositionSideParameter, quantity: Quantity, entryPrice: Price)
    /// `POST /admin/liquidate?apiKey=…&symbol=…`: the exchange liquidates the account's position in the symbol now (an
    /// `autoclose-` market order at the mark), whatever its margin.
    case liquidate(apiKey: String, symbol: Symbol)
    /// `POST /admin/market?symbol=…&price=…[&mark=…]`: a market tick now (manual market control).
    case marketTick(symbol: Symbol, last: Price, mark: Price)
    /// `GET /admin/status`.
    case status

    /// The fields of a fault update that were sent.
    public struct FaultPatch: Sendable, Equatable {
        public var latencyMs: Int64?
        public var droppedResponses: Int?
        public var failedAfterExecution: Int?
        public var delayedPlacements: Int?
        public var placementDelayMs: Int64?
        public var garbledResponses: Int?
        public var serverErrors: Int?
        public var serverErrorStatus: Int?
        public var rateLimitStorm: Int?
        public var refusedOpens: Int?
        public var refusedExits: Int?
        public var droppedUserEvents: Int?
        public var duplicatedUserEvents: Int?
        public var marketRepliesNew: Bool?
        public var bans: Int?
        public var banLengthMs: Int64?
        public var refusedTimestamps: Int?
        public var lateExecutions: Int?
        public var lateExecutionDelayMs: Int64?
        public var delayedUserEvents: Int?
        public var userEventDelayMs: Int64?
        public var partialFills: Int?

        public init() {}

        /// Applies the sent fields to a plan.
        public func apply(to plan: inout FaultPlan) {
            if let latencyMs { plan.latency = .milliseconds(latencyMs) }
            if let droppedResponses { plan.droppedResponses = droppedResponses }
            if let failedAfterExecution { plan.failedAfterExecution = failedAfterExecution }
            if let delayedPlacements { plan.delayedPlacements = delayedPlacements }
            if let placementDelayMs { plan.placementDelay = .milliseconds(placementDelayMs) }
            if let garbledResponses { plan.garbledResponses = garbledResponses }
            if let serverErrors { plan.serverErrors = serverErrors }
            if let serverErrorStatus { plan.serverErrorStatus = serverErrorStatus }
            if let rateLimitStorm { plan.rateLimitStorm = rateLimitStorm }
            if let refusedOpens { plan.refusedOpens = refusedOpens }
            if let refusedExits { plan.refusedExits = refusedExits }
            if let droppedUserEvents { plan.droppedUserEvents = droppedUserEvents }
            if let duplicatedUserEvents { plan.duplicatedUserEvents = duplicatedUserEvents }
            if let marketRepliesNew { plan.marketRepliesNew = marketRepliesNew }
            if let bans { plan.bans = bans }
            if let banLengthMs { plan.banLength = .milliseconds(banLengthMs) }
            if let refusedTimestamps { plan.refusedTimestamps = refusedTimestamps }
            if let lateExecutions { plan.lateExecutions = lateExecutions }
            if let lateExecutionDelayMs { plan.lateExecutionDelay = .milliseconds(lateExecutionDelayMs) }
            if let delayedUserEvents { plan.delayedUserEvents = delayedUserEvents }
            if let userEventDelayMs { plan.userEventDelay = .milliseconds(userEventDelayMs) }
            if let partialFills { plan.partialFills = partialFills }
        }
    }

    /// Parses an admin request; errors name the parameter, in Binance's `{code,msg}` form.
    public init(method: RequestMethod, path: String, parameters p: BinanceParameters) throws(ExchangeError) {
        switch (method, path) {
        case (.get, "/admin/faults"): self = .showFaults
        case (.get, "/admin/status"): self = .status
        case (.post, "/admin/faults"):
            var patch = FaultPatch()
            patch.latencyMs = try p.int64("latencyMs")
            patch.droppedResponses = try p.int("droppedResponses")
            patch.failedAfterExecution = try p.int("failedAfterExecution")
            patch.delayedPlacements = try p.int("delayedPlacements")
            patch.placementDelayMs = try p.int64("placementDelayMs")
            if let delay = patch.placementDelayMs, delay < 0 { throw .invalidParameter("placementDelayMs") }
            patch.garbledResponses = try p.int("garbledResponses")
            patch.serverErrors = try p.int("serverErrors")
            patch.serverErrorStatus = try p.int("serverErrorStatus")
            if let status = patch.serverErrorStatus, status != 408, !(500...599).contains(status) { throw .invalidParameter("serverErrorStatus") }
            patch.rateLimitStorm = try p.int("rateLimitStorm")
            patch.refusedOpens = try p.int("refusedOpens")
            patch.refusedExits = try p.int("refusedExits")
            patch.droppedUserEvents = try p.int("droppedUserEvents")
            patch.duplicatedUserEvents = try p.int("duplicatedUserEvents")
            patch.marketRepliesNew = try p.bool("marketRepliesNew")
            patch.bans = try p.int("bans")
            patch.banLengthMs = try p.int64("banLengthMs")
            patch.refusedTimestamps = try p.int("refusedTimestamps")
            patch.lateExecutions = try p.int("lateExecutions")
            patch.lateExecutionDelayMs = try p.int64("lateExecutionDelayMs")
            patch.delayedUserEvents = try p.int("delayedUserEvents")
            patch.userEventDelayMs = try p.int64("userEventDelayMs")
            patch.partialFills = try p.int("partialFills")
            for (name, value) in [("banLengthMs", patch.banLengthMs), ("lateExecutionDelayMs", patch.lateExecutionDelayMs),
                                  ("userEventDelayMs", patch.userEventDelayMs)] {
                if let value, value < 0 { throw .invalidParameter(name) }
            }
            self = .setFaults(patch)
        case (.post, "/admin/faults/clear"): self = .clearFaults
        case (.post, "/admin/streams/disconnect"): self = .disconnectStreams
        case (.post, "/admin/liquidate"):
            self = .liquidate(apiKey: try p.requiredString("apiKey"), symbol: try Self.symbol(p))
        case (.post, "/admin/reset"):
            self = .reset(apiKey: p.string("apiKey"), balance: try p.decimal("balance", as: NotionalUnit.self))
        case (.post, "/admin/position"):
            // Signed (a short is negative), so not through Binance's unsigned decimal reader.
            let text = try p.requiredString("quantity")
            let quantity: Quantity
            do { quantity = try Quantity(parsing: text) } catch {
                throw .invalidParameter("quantity")
            }
            self = .adjustPosition(
                apiKey: try p.requiredString("apiKey"), symbol: try Self.symbol(p),
                side: try p.enumeration("positionSide", as: PositionSideParameter.self) ?? .both,
                quantity: quantity,
                entryPrice: try p.requiredDecimal("entryPrice", as: PriceUnit.self))
        case (.post, "/admin/market"):
            let last = try p.requiredDecimal("price", as: PriceUnit.self)
            self = .marketTick(symbol: try Self.symbol(p), last: last, mark: try p.decimal("mark", as: PriceUnit.self) ?? last)
        default:
            throw EdgeErrors.invalidPath(path, method: method)
        }
    }

    private static func symbol(_ p: BinanceParameters) throws(ExchangeError) -> Symbol {
        guard let symbol = Symbol(rawValue: try p.requiredString("symbol")) else { throw .badSymbol }
        return symbol
    }
}
