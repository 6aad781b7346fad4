import QuantumCore

/// What the system needs of the venue before it trades (invariant 13).
public struct StartupRequirements: Hashable, Sendable {
    /// What to do when the account is in hedge mode.
    public enum PositionModePolicy: Hashable, Sendable {
        /// Refuse to start (the default: changing the mode is the operator's decision).
        case assertOneWay
        /// Switch to one-way mode (fails if positions or open orders exist).
        case setOneWay
    }

    /// The symbols the system trades.
    public var symbols: [Symbol]
    /// The leverage to set and verify on each traded symbol.
    public var leverage: [Symbol: Leverage]
    /// The margin type to set on each traded symbol (`nil` leaves it as it is).
    public var marginType: MarginType?
    public var positionMode: PositionModePolicy
    /// The largest accepted |venue clock − local clock|.
    public var maximumClockSkew: Duration

    public init(
        symbols: [Symbol], leverage: [Symbol: Leverage], marginType: MarginType? = nil, positionMode: PositionModePolicy = .assertOneWay,
        maximumClockSkew: Duration = .seconds(2)
    ) {
        self.symbols = symbols
        self.leverage = leverage
        self.marginType = marginType
        self.positionMode = positionMode
        self.maximumClockSkew = maximumClockSkew
    }
}

/// What the start-up check found: the facts later checks and the dashboard show.
public struct StartupReport: Hashable, Sendable {
    /// Venue clock − local clock.
    public var clockOffset: Duration
    public var rules: [Symbol: SymbolRules]
    public var account: VenueAccount
    /// Each traded symbol's verified leverage and margin type.
    public var configurations: [Symbol: SymbolConfiguration]
    /// Whether the check switched the account from hedge to one-way mode.
    public var switchedToOneWay: Bool
}
