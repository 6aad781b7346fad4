import ArgumentParser
import Foundation
import QuantumCore
import QuantumExchange
import QuantumExchangeServer
import QuantumSim

/// `quantum exchange`: the Binance USDⓈ-M compatible paper exchange on loopback.
struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Run the paper exchange: Binance USDⓈ-M REST and WebSocket API on loopback.",
        discussion: """
            Any Binance futures client can trade against it: point its REST base at the printed URL and \
            its WebSocket base at the printed ws:// URL. Without --data the market is synthetic (seeded). \
            Default credentials: key \(SimulatorSetup.defaultCredential.apiKey), secret \(SimulatorSetup.defaultCredential.secretKey).
            """)

    @Option(help: "Address to listen on (the admin endpoint only answers loopback clients).")
    var host = "127.0.0.1"

    @Option(help: "Port for REST and WebSocket (0 picks a free one).")
    var port = 8080

    @Option(help: "Replay the kline CSV files (SYMBOL_1m_*.csv, SYMBOL_funding_*.csv) under this directory.")
    var data: String?

    @Option(help: "Seed of the synthetic market (used without --data).")
    var seed: UInt64 = 1

    @Option(help: "Market speed: 1 (real time), a factor such as 10, or max.")
    var speed = "1"

    @Option(help: "Comma-separated symbols to list, or all: the 300 of the synthetic universe (BTCUSDT … XRPUSDT, ALT001USDT …).")
    var symbols = "BTCUSDT,ETHUSDT"

    @Option(help: "Starting USDT balance of each account.")
    var balance = "10000"

    @Option(help: "API key of the account (with --api-secret).")
    var apiKey: String?

    @Option(help: "API secret of the account (with --api-key).")
    var apiSecret: String?

    @Option(help: "Funding rate where no recorded rate applies.")
    var fundingRate = "0.0001"

    @Option(help: "An exchangeInfo JSON file to take symbol rules from.")
    var exchangeInfo: String?

    @Option(help: "A leverageBracket JSON file (Binance's format).")
    var brackets: String?

    @Flag(help: "No market feed: prices move only through POST /admin/market.")
    var manualMarket = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0…65535, got \(port)") }
        guard ExchangeHost.Speed(speed) != nil else { throw ValidationError("--speed must be a positive factor or max, got \(speed)") }
        guard (apiKey == nil) == (apiSecret == nil) else { throw ValidationError("--api-key and --api-secret go together") }
        if let apiKey, !APICredential.isWellFormedKey(apiKey) {
            throw ValidationError("--api-key must be 1–128 letters, digits, '-' or '_'")
        }
        if let apiSecret, apiSecret.isEmpty { throw ValidationError("--api-secret must not be empty") }
        guard let amount = try? Notional(parsing: balance), amount.isPositive else {
            throw ValidationError("--balance must be a positive decimal, got \(balance)")
        }
        guard (try? Ratio(parsing: fundingRate)) != nil else {
            throw ValidationError("--funding-rate must be a decimal, got \(fundingRate)")
        }
        for name in symbolList where Symbol(rawValue: name) == nil { throw ValidationError("--symbols: '\(name)' is not a symbol") }
        if data != nil && manualMarket { throw ValidationError("--data and --manual-market exclude each other") }
    }

    private var symbolList: [String] {
        if symbols.trimmingCharacters(in: .whitespaces).lowercased() == "all" { return SyntheticUniverse.symbols().map(\.rawValue) }
        return symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
    }

    func run() async throws {
        var setup = SimulatorSetup()
        setup.symbols = symbolList.compactMap { Symbol(rawValue: $0) }
        setup.speed = ExchangeHost.Speed(speed) ?? .realTime
        setup.startingBalance = try Notional(parsing: balance)
        setup.fundingRate = try Ratio(parsing: fundingRate)
        if let apiKey, let apiSecret { setup.credentials = [APICredential(apiKey: apiKey, secretKey: apiSecret)] }
        setup.exchangeInfo = exchangeInfo.map { URL(fileURLWithPath: $0) }
        setup.brackets = brackets.map { URL(fileURLWithPath: $0) }
        if let data {
            setup.market = .replay(directory: URL(fileURLWithPath: data))
        } else {
            setup.market = manualMarket ? .manual : .synthetic(seed: seed)
        }
        let host: ExchangeHost
        do { host = try setup.makeHost(clock: SystemEpochClock()) } catch {
            throw ValidationError("cannot set up the exchange: \(error)")
        }
        let credential = setup.credentials[0]
        let market = switch setup.market {
        case .synthetic(let seed): "synthetic, seed \(seed)"
        case .replay(let directory): "replay of \(directory.path)"
        case .manual: "manual (POST /admin/market)"
        }
        let listenHost = self.host
        let summary = "\(market), speed \(setup.speed), symbols \(setup.symbols.map(\.rawValue).joined(separator: ","))"
        let startingBalance = setup.startingBalance
        let server = ExchangeServer(host: host, configuration: .init(host: listenHost, port: port)) { bound in
            let base = "\(listenHost):\(bound)"
            FileHandle.standardOutput.write(Data("""
                Quantum paper exchange — Binance USDⓈ-M compatible
                REST        http://\(base)
                WebSocket   ws://\(base)  (/ws, /stream, /market/ws, /public/ws, /private/ws?listenKey=…)
                Admin       http://\(base)/admin/status  (loopback only)
                API key     \(credential.apiKey)
                API secret  \(credential.secretKey)
                Market      \(summary)
                Balance     \(startingBalance) USDT

                """.utf8))
        }
        try await server.run()
    }
}
