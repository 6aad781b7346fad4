/// What the user-data stream tells the executor, in arrival order.
public enum VenueEvent: Hashable, Sendable {
    /// An order changed (and maybe filled).
    case order(OrderTradeUpdate)
    /// Balances or positions changed.
    case account(AccountChange)
    /// A conditional order changed (placed, triggered, finished, cancelled, expired).
    case algo(VenueAlgoOrder)
    /// The stream (re)connected and the account was re-read over REST; emitted after every connect,
    /// before any event of the new connection.
    case resynced(VenueSnapshot)
}
