import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import QuantumCore
import QuantumVenue
import QuantumExchange
import QuantumExchangeServer
import QuantumSim
import QuantumTestSupport
import Testing

/// A paper exchange served on a loopback port of its own, with a manual clock and a manual market.
///
/// Requests go through real HTTP (AsyncHTTPClient); prices move only when a test applies a tick.
final class ExchangeServerFixture: Sendable {
    static let btc = Symbol(rawValue: "BTCUSDT")!
    static let eth = Symbol(rawValue: "ETHUSDT")!
    static let credential = SimulatorSetup.defaultCredential

    let clock: ManualEpochClock
    let host: ExchangeHost
    let port: Int
    private let server: LoopbackExchange

    private init(clock: ManualEpochClock, server: LoopbackExchange) {
        self.clock = clock
        self.host = server.host
        self.port = server.port
        self.server = server
    }

    /// Starts a server at `start` with BTCUSDT at 100 000 and ETHUSDT at 3 000 (mark = last).
    static func start(
        at start: EpochMillis = EpochMillis(1_750_000_000_000),
        credentials: [APICredential] = [credential],
        configure: (inout SimulatorSetup) -> Void = { _ in },
        desk: (inout ExchangeDesk.Configuration) -> Void = { _ in }
    ) async throws -> ExchangeServerFixture {
        let clock = ManualEpochClock(start)
        var setup = SimulatorSetup()
        setup.market = .manual
        setup.credentials = credentials
        configure(&setup)
        var (built, _) = try setup.makeDesk(start: start)
        var configuration = built.configuration
        desk(&configuration)
        built = ExchangeDesk(paper: built.paper, configuration: configuration)
        let host = ExchangeHost(desk: built, feed: nil, clock: clock)
        await host.apply(MarketTick(symbol: btc, time: start, lastPrice: try Price(parsing: "100000"), markPrice: try Price(parsing: "100000")))
        await host.apply(MarketTick(symbol: eth, time: start, lastPrice: try Price(parsing: "3000"), markPrice: try Price(parsing: "3000")))
        return ExchangeServerFixture(clock: clock, server: try await LoopbackExchange.start(host: host))
    }

    /// Stops the server.
    func stop() async {
        await server.stop()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Moves the market of a symbol to a price (mark = last unless given) at the clock's time.
    func tick(_ symbol: Symbol = btc, _ price: String, mark: String? = nil) async throws {
        let last = try Price(parsing: price)
        await host.apply(MarketTick(symbol: symbol, time: clock.now(), lastPrice: last, markPrice: try mark.map { try Price(parsing: $0) } ?? last))
    }

    // MARK: - Requests

    /// One REST reply: status, headers and the parsed JSON body.
    struct Reply: @unchecked Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Any
        var text: String

        var object: [String: Any] { body as? [String: Any] ?? [:] }
        var array: [[String: Any]] { body as? [[String: Any]] ?? [] }
        /// The Binance error code of an error reply.
        var code: Int? { object["code"] as? Int }
        func string(_ key: String) -> String? { object[key] as? String }
    }

    /// Sends a request; signed requests get `timestamp` (the clock's) and `signature`; parameters go
    /// in the query for GET/DELETE and in a form body otherwise.
    func send(
        _ method: HTTPMethod, _ path: String, _ parameters: [(String, String)] = [], signed: Bool = true,
        apiKey: String? = credential.apiKey, secret: String = credential.secretKey, timeout: Duration = .seconds(10)
    ) async throws -> Reply {
        var query = FormURLEncoding.encode(parameters.map { (name: $0.0, value: $0.1) })
        if signed {
            query = RequestSigner(secretKey: secret).signedParameters(parameters.map { (name: $0.0, value: $0.1) }, timestamp: clock.now())
        }
        let inBody = method == .POST || method == .PUT
        return try await raw(method, path, query: inBody ? "" : query, body: inBody ? query : "", apiKey: apiKey, timeout: timeout)
    }

    /// Sends exact bytes: the query string and body as given.
    func raw(_ method: HTTPMethod, _ path: String, query: String = "", body: String = "", apiKey: String? = nil,
             timeout: Duration = .seconds(10)) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path + (query.isEmpty ? "" : "?" + query))
        request.method = method
        if let apiKey { request.headers.add(name: "X-MBX-APIKEY", value: apiKey) }
        if !body.isEmpty {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(timeout.wholeMilliseconds))
        let bytes = try await response.body.collect(upTo: 8 << 20)
        let text = String(buffer: bytes)
        let parsed = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
        return Reply(status: Int(response.status.code), headers: response.headers, body: parsed, text: text)
    }
}
