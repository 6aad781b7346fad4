import QuantumBus
import QuantumCore
import QuantumExchange
import QuantumServices
import ServiceLifecycle

/// Lets a paced embedded market move once the system has handled the last bar of the history it starts from.
///
/// The market clock starts held at the run's start, and the exchange's feed moves only once it is paced. Paced at once,
/// the market moved while the services were still starting, so what the system did with its history's last bar (a
/// signal, an open) met a market that had moved by however long the start took: a run's first trade depended on the
/// machine. This waits (up to `patience`) until the system's streams are connected (every symbol's klines and the user
/// data: a bar that closed before the market stream was up reached market-state only after the pacer had given up on
/// it), and until market-state, signal-bot and the exit services have handled that bar and what they caused is done,
/// then paces the market and ends.
struct MarketRelease: Service {
    let host: ExchangeHost
    let pacer: MarketPacer
    let clock: ScaledEpochClock
    /// Where the system records its positions: a stop's fill is settled there before the market moves on.
    let store: any StateStore
    /// Whether the exchange played history before the start (without it there is no bar to wait for).
    let hasHistory: Bool
    var patience: Duration = .seconds(30)

    /// How often (real time) the streams are looked at while they connect.
    var poll: Duration = .milliseconds(5)

    func run() async throws {
        let opening = await host.openingBars
        let start = ContinuousClock.now
        while await !host.isFollowed(klinesOf: opening.keys), ContinuousClock.now - start < patience {
            try await Task.sleep(for: poll)
        }
        if hasHistory, !opening.isEmpty { await pacer.awaitCaughtUp(opening, patience: patience) }
        try Task.checkCancellation()
        let clock = clock
        let pacer = pacer
        let store = store
        let account = SimulatorSetup.defaultCredential.apiKey
        await host.pace(with: { closed in await pacer.awaitCaughtUp(closed) }, advance: { next in
            if let next { clock.allow(until: next) } else { clock.unpin() }
        }, settle: { moved in
            let ours = moved.compactMapValues { $0[account] }
            if !ours.isEmpty { await pacer.awaitSettled(ours, in: store) }
        })
    }
}
