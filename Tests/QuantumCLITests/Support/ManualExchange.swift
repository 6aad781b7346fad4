import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumSim
import QuantumTestSupport

/// The paper exchange on loopback for a `quantum` child process to trade against: real clock, a market that moves
/// only when a test moves it, BTCUSDT at 100 000.
enum ManualExchange {
    static func start() async throws -> LoopbackExchange {
        var setup = SimulatorSetup()
        setup.market = .manual
        setup.symbols = [VenueFixture.btc]
        let host = try setup.makeHost(clock: SystemEpochClock())
        await host.apply(MarketTick(symbol: VenueFixture.btc, time: SystemEpochClock().now(), lastPrice: Price("100000")!, markPrice: Price("100000")!))
        return try await LoopbackExchange.start(host: host)
    }
}
