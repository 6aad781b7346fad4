import QuantumCore

/// The account as REST reports it right after a stream (re)connect: what may have changed unseen.
///
/// A fill missed while the user stream was down is in `trades` (and, if it was not seen on the
/// stream before, in `missedTrades`), so consumers never depend on an unbroken stream.
public struct VenueSnapshot: Hashable, Sendable {
    /// Every non-flat position.
    public var positions: [VenuePosition]
    public var openOrders: [VenueOrder]
    public var openAlgoOrders: [VenueAlgoOrder]
    /// Fills of the watched symbols since the resync horizon, oldest first.
    public var trades: [UserTrade]
    /// The subset of `trades` the stream never delivered.
    public var missedTrades: [UserTrade]
    /// The venue's time of the snapshot.
    public var time: EpochMillis

    public init(
        positions: [VenuePosition], openOrders: [VenueOrder], openAlgoOrders: [VenueAlgoOrder], trades: [UserTrade],
        missedTrades: [UserTrade], time: EpochMillis
    ) {
        self.positions = positions
        self.openOrders = openOrders
        self.openAlgoOrders = openAlgoOrders
        self.trades = trades
        self.missedTrades = missedTrades
        self.time = time
    }
}
