import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import QuantumCore
import QuantumVenue
import QuantumExchange
import QuantumExchangeServer
import QuantumSim

/// `quantum bench exchange`: matching-engine orders per second in process, and REST orders per second on loopback.
///
/// A benchmark, not a test: opt-in, prints throughput and latency percentiles.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Benchmarks (opt-in; not part of the test suite).", subcommands: [ExchangeBench.self, PipelineBench.self, BusBench.self, BacktestBench.self, SymbolsBench.self])
}

struct ExchangeBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange", abstract: "Orders per second: the matching engine in process, and the REST API on loopback.")

    @Option(help: "Orders for the in-process engine run.")
    var engineOrders = 200_000

    @Option(help: "Orders for the REST run.")
    var restOrders = 5_000

    @Option(help: "Concurrent REST clients.")
    var connections = 8

    static let btc = Symbol(rawValue: "BTCUSDT")!

    func validate() throws {
        guard engineOrders > 0, restOrders > 0, (1...256).contains(connections) else {
            throw ValidationError("--engine-orders and --rest-orders must be positive, --connections 1…256")
        }
    }

    func run() async throws {
        try engineRun()
        try await restRun()
    }

    /// Alternating 0.001 BTC market buys and sells against one account, timed one by one.
    private func engineRun() throws {
        var engine = SimulatedExchange(rules: SymbolCatalog.rules)
        engine.useLeverageBrackets(SymbolCatalog.brackets)
        engine.openAccount("bench", balance: try Notional(parsing: "1000000"))
        let price = try Price(parsing: "100000")
        engine.updateMarket(Self.btc, last: price, mark: price, time: EpochMillis(1_750_000_000_000))
        let quantity = try Quantity(parsing: "0.001")
        var sample = LatencySample()
        let clock = ContinuousClock()
        let started = clock.now
        for index in 0..<engineOrders {
            let request = NewOrderRequest(symbol: Self.btc, side: index % 2 == 0 ? .buy : .sell, type: "MARKET", quantity: quantity)
            let before = clock.now
            _ = try engine.placeOrder("bench", request, time: EpochMillis(1_750_000_000_000 + Int64(index)))
            sample.record(clock.now - before)
            if index % 1_000 == 999 { _ = engine.drainEvents("bench") }
        }
        let elapsed = clock.now - started
        print("engine: \(engineOrders) market orders in \(BenchFormat.seconds(elapsed)) s = \(BenchFormat.rate(engineOrders, elapsed)) orders/s; \(sample.summary)")
    }

    /// Signed MARKET orders over HTTP/1.1 keep-alive from `connections` concurrent clients.
    private func restRun() async throws {
        var setup = SimulatorSetup()
        setup.market = .manual
        setup.startingBalance = try Notional(parsing: "10000000")
        var (desk, _) = try setup.makeDesk(start: SystemEpochClock().now())
        var configuration = desk.configuration
        configuration.weights.limit = .max / 2
        configuration.orderCounts = .init(perTenSeconds: .max / 2, perMinute: .max / 2)
        desk = ExchangeDesk(paper: desk.paper, configuration: configuration)
        let host = ExchangeHost(desk: desk, feed: nil, clock: SystemEpochClock())
        let price = try Price(parsing: "100000")
        await host.apply(MarketTick(symbol: Self.btc, time: SystemEpochClock().now(), lastPrice: price, markPrice: price))
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var serverConfiguration = ExchangeServer.Configuration(port: 0)
        serverConfiguration.logLevel = .critical
        let server = Task { try await ExchangeServer(host: host, configuration: serverConfiguration) { continuation.yield($0) }.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ValidationError("the exchange did not start") }
        let signer = RequestSigner(secretKey: SimulatorSetup.defaultCredential.secretKey)
        let perClient = restOrders / connections
        let clock = ContinuousClock()
        let started = clock.now
        let sample = try await withThrowingTaskGroup(of: LatencySample.self) { group in
            for client in 0..<connections {
                group.addTask {
                    var sample = LatencySample()
                    for index in 0..<perClient {
                        let side = (client + index) % 2 == 0 ? "BUY" : "SELL"
                        let body = signer.signedParameters(
                            [("symbol", "BTCUSDT"), ("side", side), ("type", "MARKET"), ("quantity", "0.001"), ("newOrderRespType", "RESULT")],
                            timestamp: SystemEpochClock().now())
                        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/fapi/v1/order")
                        request.method = .POST
                        request.headers.add(name: "X-MBX-APIKEY", value: SimulatorSetup.defaultCredential.apiKey)
                        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                        request.body = .bytes(ByteBuffer(string: body))
                        let before = clock.now
                        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
                        _ = try await response.body.collect(upTo: 1 << 20)
                        sample.record(clock.now - before)
                        guard response.status == .ok else { throw ValidationError("order refused: HTTP \(response.status.code)") }
                    }
                    return sample
                }
            }
            var all = LatencySample()
            for try await part in group { all.merge(part) }
            return all
        }
        let elapsed = clock.now - started
        server.cancel()
        _ = await server.result
        print("rest:   \(sample.count) signed market orders, \(connections) connections, in \(BenchFormat.seconds(elapsed)) s = \(BenchFormat.rate(sample.count, elapsed)) orders/s; \(sample.summary)")
    }
}
