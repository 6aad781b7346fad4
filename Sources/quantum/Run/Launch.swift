import ArgumentParser
import Foundation
import Logging
import QuantumBinance
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumServices
import QuantumVenue

/// The venue a run trades on, started and checked: the embedded simulator on loopback, or an external venue.
struct Launch: Sendable {
    enum Target: Sendable {
        /// The embedded paper exchange; `historyBars` minutes of its market are played before the start, so the venue has
        /// klines to warm the strategies from.
        case embedded(speed: Double, market: SimulatorSetup.Market, balance: Notional, historyBars: Int = 0)
        case external(url: String, apiKey: String?, apiSecret: String?)
    }

    let venue: BinanceFuturesVenue
    let clock: any EpochClock
    let exchange: LoopbackExchange?
    let description: String
    /// The embedded run's market clock (nil on an external venue): a paced replay slows it while the system catches up.
    var marketClock: ScaledEpochClock? { clock as? ScaledEpochClock }

    /// Starts (embedded) or reaches (external) the venue, then runs the start-up checks (one-way mode, leverage, clock, keys).
    /// `positionMode` nil: an external account is switched to one-way mode, the embedded one asserted; `.assertOneWay` only checks.
    static func start(venue target: Target, symbols: [Symbol], leverage: Leverage, logger: Logger,
                      positionMode: StartupRequirements.PositionModePolicy? = nil) async throws -> Launch {
        let launch: Launch
        let credentials: VenueCredentials?
        switch target {
        case .embedded(let speed, let market, let balance, let historyBars):
            // Faster than real time the clock starts held at its origin, until the run paces the market: the feed must
            // not run ahead while the system starts.
            let clock = ScaledEpochClock(factor: speed, pinned: speed > 1)
            var setup = SimulatorSetup()
            setup.market = market
            setup.symbols = symbols
            setup.startingBalance = balance
            setup.history = .seconds(60 * historyBars)
            let host: ExchangeHost
            do { host = try setup.makeHost(clock: clock) } catch { throw ValidationError("cannot set up the embedded exchange: \(error)") }
            let exchange = try await LoopbackExchange.start(host: host)
            let credential = SimulatorSetup.defaultCredential
            credentials = VenueCredentials(environment: .custom, apiKey: credential.apiKey, secretKey: credential.secretKey)
            // Market time runs `speed`× faster than the loopback round trip: the signing window grows with it (Binance's maximum is 60 s).
            var adapter = BinanceFuturesVenue.Configuration()
            // A stepped clock (`max`) moves a bar at a time, as 10 000× does in 6 ms: both reach the maximum.
            let scale = max(1, min(speed, RunCommand.fastestStretchedSpeed) / 10)
            adapter.recvWindow = min(.seconds(60), .seconds(5) * scale)
            adapter.maximumClockSkew = min(.seconds(30), .seconds(2) * scale)
            let venue = try BinanceFuturesVenue(endpoints: try VenueEndpoints.custom(exchange.baseURL), credentials: credentials,
                                                configuration: adapter, clock: clock, logger: logger)
            let market = switch market {
            case .synthetic(let seed): "synthetic market (seed \(seed))"
            case .replay(let directory): "replay of \(directory.path)"
            case .manual: "manual market"
            }
            launch = Launch(venue: venue, clock: clock, exchange: exchange, description: "embedded exchange at \(exchange.baseURL), \(market), speed \(speed.isFinite ? "\(speed)×" : "max")")
        case .external(let url, let apiKey, let apiSecret):
            let endpoints: VenueEndpoints
            do { endpoints = try VenueEndpoints.custom(url) } catch { throw ValidationError("--venue: \(error)") }
            if let apiKey, let apiSecret {
                credentials = VenueCredentials(environment: endpoints.environment, apiKey: apiKey, secretKey: apiSecret)
            } else {
                credentials = try VenueCredentials.fromEnvironment(endpoints.environment)
            }
            guard credentials != nil else { throw ValidationError("no API keys: --api-key/--api-secret or QUANTUM_VENUE_API_KEY/QUANTUM_VENUE_API_SECRET") }
            let probe = try BinanceFuturesVenue(endpoints: endpoints, credentials: credentials, logger: logger)
            let offset = try await StartUpRetry().run("reading the venue's clock", logger: logger) { () throws(VenueError) in
                try await probe.synchroniseClock(samples: 5)
            }
            // The venue's server time is the system's clock.
            let clock = OffsetEpochClock(offset: offset)
            let venue = try BinanceFuturesVenue(endpoints: endpoints, credentials: credentials, clock: clock, logger: logger)
            launch = Launch(venue: venue, clock: clock, exchange: nil, description: "venue \(url) (clock offset \(offset))")
        }
        let requirements = StartupRequirements(
            symbols: symbols, leverage: Dictionary(uniqueKeysWithValues: symbols.map { ($0, leverage) }),
            positionMode: launch.exchange == nil ? .assertOneWay : .setOneWay, maximumClockSkew: launch.venue.configuration.maximumClockSkew)
        do {
            _ = try await StartUpRetry().run("the start-up check", logger: logger) { () throws(VenueError) in
                try await VenueStartupCheck.run(launch.venue, credentials: credentials, requirements: requirements)
            }
        } catch {
            await launch.stop()
            throw ValidationError("start-up check failed: \(error)")
        }
        return launch
    }

    /// The executor settings this venue needs: absence of an order of unknown fate is proven only after its request
    /// can no longer land (the adapter's recvWindow, which grows with an embedded run's speed, plus the clock-skew bound).
    func fitted(_ configuration: TradingSystem.Configuration) -> TradingSystem.Configuration {
        var fitted = configuration
        let window = venue.configuration.recvWindow + venue.configuration.maximumClockSkew
        fitted.executor.absenceWindow = max(fitted.executor.absenceWindow, window)
        return fitted
    }

    func stop() async {
        await exchange?.stop()
    }

    /// Stops the embedded exchange, waiting at most `limit`: a stream connection the server is still draining must not
    /// keep a finished run from exiting (its summary is already written). `false` when the limit passed first.
    func stop(within limit: Duration) async -> Bool {
        await withHardDeadline(limit) { await self.stop() } != nil
    }
}
