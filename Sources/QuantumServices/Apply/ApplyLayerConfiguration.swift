import QuantumCore

/// The executor's settings; defaults suit paper trading.
public struct ApplyLayerConfiguration: Hashable, Sendable {
    public var risk = RiskGuard.Configuration()
    /// Symbols that may be opened (`nil`: all the venue lists). Exits are never filtered (FM-36).
    public var allowlist: Set<Symbol>?
    /// Opens of one symbol within `churnWindow` that pause it (the flip/churn breaker, FM-13).
    public var churnLimit = 3
    public var churnWindow: Duration = .seconds(300)
    /// A symbol halted for drift (its position adopted from the exchange) opens again this long after the adoption,
    /// once reconciliation finds it in agreement with the exchange (FM-19: no gate without an end).
    public var driftHaltCoolDown: Duration = .seconds(900)
    /// How often positions are reconciled with the exchange (invariant 6).
    public var reconcileInterval: Duration = .seconds(30)
    /// How often the account is read (equity older than `risk.equityMaxAge` blocks opens).
    public var accountInterval: Duration = .seconds(5)
    /// How long to wait for an accepted order to fill before cancelling it.
    public var fillTimeout: Duration = .seconds(30)
    /// After a send whose fate is unknown, a query that finds no order proves absence only after this long
    /// (the request's recvWindow plus a margin: after it, Binance can no longer accept the request).
    public var absenceWindow: Duration = .seconds(7)
    /// Plans read per batch; plans of one symbol run in order, different symbols concurrently.
    public var batchSize = 32
    /// On a graceful shutdown, plans already on the stream or in hand are finished for at most this long (the
    /// producers have stopped before: the group shuts its services down in reverse order), so a clean stop leaves none
    /// pending; what is left after it is resumed by the next start, as after a crash.
    public var shutdownDrain: Duration = .seconds(5)
    /// Consumer name in the `apply-layer` group: stable, so a restart takes back its own pending plans.
    public var consumerName = "apply-layer-1"
    public var heartbeatInterval: Duration = .seconds(1)
    /// How often the protection monitor checks that every position has exactly one live stop (invariant 5).
    public var protectionInterval: Duration = .seconds(1)
    /// A position with no stop of its own (adopted from the exchange) is protected this far from its entry.
    public var defaultStopDistance = Ratio(units: 2_000_000)
    /// Every exit plan must reach its terminal result within this long of its creation (invariant 10).
    public var exitDeadline: Duration = .seconds(5)

    public init() {}
}
