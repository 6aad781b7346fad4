/// The risk guard: one pure function deciding whether an **open** may proceed (invariant 12).
///
/// Exits never reach it (invariant 4): its only input is an `OpenCandidate`. Rules run in a fixed
/// order and the first failure is the decisive reason (FM-44). Windows are explicit: the caller
/// passes today's figures keyed by UTC day, so a counter can never outlive its window (FM-38).
public enum RiskGuard {
    /// Limits; defaults are conservative paper-trading values.
    public struct Configuration: Hashable, Sendable {
        /// Equity older than this means no opens (FM-09 / the original's stale-equity block that nobody obeyed).
        public var equityMaxAge: Duration = .seconds(30)
        /// Market state older than this means no opens.
        public var marketStateMaxAge: Duration = .seconds(180)
        /// Realised + unrealised loss today beyond this fraction of the day's starting equity halts opens.
        public var dailyLossLimit: Ratio = Ratio(units: 2_500_000)
        /// Drawdown from peak equity beyond this fraction halts opens.
        public var maxDrawdown: Ratio = Ratio(units: 8_000_000)
        /// This many losing closes in a row pause opens for `lossPauseCoolDown`; the streak then starts again.
        public var maxConsecutiveLosses = 3
        public var lossPauseCoolDown: Duration = .seconds(4 * 3_600)
        /// This many opens refused by the venue for margin (-2019) within `marginRefusalWindow` pause opens for
        /// `marginRefusalPause`: the venue knows something the pre-trade check does not (FM-26).
        public var marginRefusalLimit = 5
        public var marginRefusalWindow: Duration = .seconds(300)
        public var marginRefusalPause: Duration = .seconds(900)
        public var maxOpenPositions = 5
        public var maxNotionalPerTrade: Notional = Notional(units: 2_000 * Notional.one)
        public var maxTotalNotional: Notional = Notional(units: 10_000 * Notional.one)
        /// Margin required is inflated by this buffer before comparing with what is available.
        public var marginBuffer: Ratio = Ratio(units: 10_000_000)
        /// Orders per symbol per minute.
        public var maxOrdersPerSymbolPerMinute = 5
        /// Orders per minute, all symbols.
        public var maxOrdersPerMinute = 60

        public init() {}
    }

    /// The account as last read from the venue.
    public struct Account: Hashable, Sendable {
        public var equity: Notional
        public var availableMargin: Margin
        public var asOf: EpochMillis
        public var peakEquity: Notional
        /// Equity at the start of the current UTC day.
        public var dayStartEquity: Notional
        /// Realised plus unrealised PnL since the start of the UTC day.
        public var pnlToday: Notional
        public var consecutiveLosses: Int

        public init(equity: Notional, availableMargin: Margin, asOf: EpochMillis, peakEquity: Notional, dayStartEquity: Notional, pnlToday: Notional, consecutiveLosses: Int) {
            self.equity = equity
            self.availableMargin = availableMargin
            self.asOf = asOf
            self.peakEquity = peakEquity
            self.dayStartEquity = dayStartEquity
            self.pnlToday = pnlToday
            self.consecutiveLosses = consecutiveLosses
        }
    }

    /// The open to decide on.
    public struct OpenCandidate: Hashable, Sendable {
        public var symbol: Symbol
        public var direction: Direction
        public var notional: Notional
        public var margin: Margin
        public var leverage: Leverage
        /// The leverage bracket's maximum position notional at this leverage, if known.
        public var bracketMaxNotional: Notional?

        public init(symbol: Symbol, direction: Direction, notional: Notional, margin: Margin, leverage: Leverage, bracketMaxNotional: Notional? = nil) {
            self.symbol = symbol
            self.direction = direction
            self.notional = notional
            self.margin = margin
            self.leverage = leverage
            self.bracketMaxNotional = bracketMaxNotional
        }
    }

    /// Operator and health guards.
    public struct Guards: Hashable, Sendable {
        /// The one kill switch: halt opens, allow exits (FM-43).
        public var killSwitch = false
        /// Symbols halted by reconciliation drift, an unprotected position, or an operator.
        public var haltedSymbols: Set<Symbol> = []
        /// Symbols paused by the flip/churn breaker.
        public var churnPaused: Set<Symbol> = []
        /// Symbols that may be opened; `nil` means all. Never applied to exits (FM-36).
        public var allowlist: Set<Symbol>?
        /// When the symbol's market state was computed; `nil` means none.
        public var marketStateAsOf: EpochMillis?
        /// Positions found without a live protective stop: while any exists, no open anywhere (invariant 5).
        public var unprotectedSymbols: Set<Symbol> = []
        /// The health monitor finds a service of the exit path unhealthy: no open anywhere (invariant 11).
        public var exitPathUnhealthy = false
        /// Timed pauses of all opens (loss streak, margin refusals), each with its end.
        public var openPauses = OpenPauses()

        public init(killSwitch: Bool = false, haltedSymbols: Set<Symbol> = [], churnPaused: Set<Symbol> = [], allowlist: Set<Symbol>? = nil,
                    marketStateAsOf: EpochMillis? = nil, unprotectedSymbols: Set<Symbol> = []) {
            self.killSwitch = killSwitch
            self.haltedSymbols = haltedSymbols
            self.churnPaused = churnPaused
            self.allowlist = allowlist
            self.marketStateAsOf = marketStateAsOf
            self.unprotectedSymbols = unprotectedSymbols
        }
    }

    /// Capacity held by other opens that passed the guard and have not ended yet: they count against the
    /// portfolio's notional and margin as if filled, so concurrent opens cannot together pass a limit.
    public struct Reserved: Hashable, Sendable {
        public var notional: Notional = .zero
        public var margin: Margin = .zero

        public init(notional: Notional = .zero, margin: Margin = .zero) {
            self.notional = notional
            self.margin = margin
        }
    }

    /// Everything the decision depends on.
    public struct Input: Hashable, Sendable {
        public var candidate: OpenCandidate
        /// `nil`: the account was never read — fail closed.
        public var account: Account?
        /// Absolute notional of each open position.
        public var positions: [Symbol: Notional]
        /// Symbols with an open order in flight (journaled, not yet terminal).
        public var inFlightOpens: Set<Symbol>
        public var guards: Guards
        /// Orders sent in the last minute, per symbol and in total.
        public var ordersLastMinute: [Symbol: Int]
        public var now: EpochMillis
        /// Other opens' reserved capacity.
        public var reserved = Reserved()

        public init(candidate: OpenCandidate, account: Account?, positions: [Symbol: Notional], inFlightOpens: Set<Symbol>, guards: Guards, ordersLastMinute: [Symbol: Int], now: EpochMillis) {
            self.candidate = candidate
            self.account = account
            self.positions = positions
            self.inFlightOpens = inFlightOpens
            self.guards = guards
            self.ordersLastMinute = ordersLastMinute
            self.now = now
        }
    }

    /// Allow, or refuse with the decisive reason.
    public enum Decision: Hashable, Sendable {
        case allow
        case refuse(DecisionReason)
    }

    /// Decides on an open. Pure: same input, same decision.
    public static func evaluate(_ input: Input, configuration c: Configuration) -> Decision {
        let symbol = input.candidate.symbol
        let g = input.guards
        if g.killSwitch { return .refuse(.killSwitch) }
        if g.haltedSymbols.contains(symbol) { return .refuse(.symbolHalted) }
        if !g.unprotectedSymbols.isEmpty { return .refuse(.unprotectedPosition) }
        if g.exitPathUnhealthy { return .refuse(.exitPathUnhealthy) }
        if g.churnPaused.contains(symbol) { return .refuse(.churnBreaker) }
        if let pause = g.openPauses.active(at: input.now) { return .refuse(pause.cause.reason) }
        if let allow = g.allowlist, !allow.contains(symbol) { return .refuse(.notInAllowlist) }
        guard let account = input.account, account.equity.isPositive, input.now.duration(since: account.asOf) <= c.equityMaxAge else {
            return .refuse(.equityStale)
        }
        guard let marketAsOf = g.marketStateAsOf, input.now.duration(since: marketAsOf) <= c.marketStateMaxAge else {
            return .refuse(.marketStateStale)
        }
        if input.positions[symbol] != nil { return .refuse(.positionAlreadyExists) }
        if input.inFlightOpens.contains(symbol) { return .refuse(.openInFlight) }
        do {
            if account.dayStartEquity.isPositive, account.pnlToday.isNegative {
                let limit = try account.dayStartEquity.fraction(c.dailyLossLimit)
                if try account.pnlToday.negated() >= limit { return .refuse(.dailyLossLimit) }
            }
            if account.peakEquity > account.equity {
                let drop = try account.peakEquity - account.equity
                if drop >= (try account.peakEquity.fraction(c.maxDrawdown)) { return .refuse(.drawdownLimit) }
            }
            if account.consecutiveLosses >= c.maxConsecutiveLosses { return .refuse(.consecutiveLosses) }
            // A symbol counts once: an open that just filled is both held and, until its result is published, in flight.
            if Set(input.positions.keys).union(input.inFlightOpens).count >= c.maxOpenPositions { return .refuse(.maxPositions) }
            if input.candidate.notional > c.maxNotionalPerTrade { return .refuse(.maxNotionalPerTrade) }
            var total = try input.candidate.notional + input.reserved.notional
            for notional in input.positions.values { total = try total + notional }
            if total > c.maxTotalNotional { return .refuse(.maxTotalNotional) }
            if let cap = input.candidate.bracketMaxNotional, input.candidate.notional > cap { return .refuse(.leverageBracket) }
            let required = try input.candidate.margin + (try input.candidate.margin.fraction(c.marginBuffer, rounding: .up)) + input.reserved.margin
            if required > account.availableMargin { return .refuse(.insufficientMargin) }
        } catch {
            // Arithmetic out of range on risk inputs is itself a reason to add no risk.
            return .refuse(.invalidPlan)
        }
        if input.ordersLastMinute[symbol, default: 0] >= c.maxOrdersPerSymbolPerMinute { return .refuse(.orderRateLimited) }
        if input.ordersLastMinute.values.reduce(0, +) >= c.maxOrdersPerMinute { return .refuse(.orderRateLimited) }
        return .allow
    }
}
