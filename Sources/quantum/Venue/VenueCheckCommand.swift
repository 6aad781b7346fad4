import ArgumentParser
import Foundation
import Logging
import QuantumBinance
import QuantumCore
import QuantumVenue

/// `quantum venue check`: the adapter's start-up checks against a venue, with a readable report.
struct VenueCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the start-up checks: keys for this environment, clock skew, one-way mode, leverage per symbol.",
        discussion: """
            Exits non-zero with the reason when a check fails. Keys come from --key-file, --api-key/--api-secret, \
            or the environment: BINANCE_API_KEY/BINANCE_API_SECRET (production), BINANCE_DEMO_API_KEY/\
            BINANCE_DEMO_API_SECRET (demo), QUANTUM_VENUE_API_KEY/QUANTUM_VENUE_API_SECRET (any other venue).
            """)

    @OptionGroup var venue: VenueOptions

    @Option(help: "Comma-separated symbols to check.")
    var symbols = "BTCUSDT,ETHUSDT"

    @Option(help: "Leverage to set and verify on each symbol (1–125); omit to leave leverage as it is.")
    var leverage: Int?

    @Flag(help: "Switch the account to one-way mode if it is in hedge mode (otherwise that fails the check).")
    var setOneWay = false

    @Option(help: "Largest accepted clock difference with the venue, in milliseconds.")
    var maxSkewMs: Int64 = 2_000

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() async throws {
        let endpoints = try venue.endpoints()
        let credentials = try venue.credentials(for: endpoints)
        var symbolList: [Symbol] = []
        for name in symbols.split(separator: ",") {
            guard let symbol = Symbol(rawValue: name.trimmingCharacters(in: .whitespaces).uppercased()) else {
                throw ValidationError("'\(name)' is not a symbol")
            }
            symbolList.append(symbol)
        }
        var leverageBySymbol: [Symbol: Leverage] = [:]
        if let leverage {
            guard let value = Leverage(rawValue: leverage) else { throw ValidationError("--leverage must be 1…125") }
            for symbol in symbolList { leverageBySymbol[symbol] = value }
        }
        var logger = Logger(label: "quantum.venue")
        logger.logLevel = .warning
        let adapter = try BinanceFuturesVenue(endpoints: endpoints, credentials: credentials, logger: logger)
        let requirements = StartupRequirements(
            symbols: symbolList, leverage: leverageBySymbol, positionMode: setOneWay ? .setOneWay : .assertOneWay,
            maximumClockSkew: .milliseconds(maxSkewMs))
        let report: StartupReport
        do {
            report = try await VenueStartupCheck.run(adapter, credentials: credentials, requirements: requirements)
        } catch {
            if json {
                print(#"{"ok":false,"venue":"\#(endpoints.restBase)","error":"\#(Self.escaped(error.message))"}"#)
            } else {
                print("❌ \(endpoints.environment) venue \(endpoints.restBase): \(error.message)")
            }
            throw ExitCode(2)
        }
        print(json ? Self.json(report, endpoints: endpoints, symbols: symbolList) : Self.text(report, endpoints: endpoints, symbols: symbolList))
    }

    static func text(_ report: StartupReport, endpoints: VenueEndpoints, symbols: [Symbol]) -> String {
        var lines = [
            "✅ \(endpoints.environment) venue \(endpoints.restBase)",
            "✅ keys accepted; equity \(report.account.marginBalance) USDT, available \(report.account.availableBalance) USDT",
            "✅ clock offset \(report.clockOffset.wholeMilliseconds) ms",
            "✅ one-way position mode\(report.switchedToOneWay ? " (switched from hedge mode)" : "")",
        ]
        for symbol in symbols {
            let configuration = report.configurations[symbol]
            let margin = configuration?.marginType.map { ", \($0.rawValue.lowercased())" } ?? ""
            lines.append("✅ \(symbol): leverage \(configuration.map { "\($0.leverage)" } ?? "?")\(margin), tick \(report.rules[symbol]?.tickSize.description ?? "?")")
        }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: StartupReport, endpoints: VenueEndpoints, symbols: [Symbol]) -> String {
        let configurations: [JSONValue] = symbols.map { symbol in
            let configuration = report.configurations[symbol]
            return [
                "symbol": .string(symbol.rawValue),
                "leverage": configuration.map { .integer(Int64($0.leverage.rawValue)) } ?? .null,
                "marginType": configuration?.marginType.map { .string($0.rawValue) } ?? .null,
            ]
        }
        let document: JSONValue = [
            "ok": true,
            "venue": .string(endpoints.restBase),
            "environment": .string(endpoints.environment.rawValue),
            "clockOffsetMs": .integer(report.clockOffset.wholeMilliseconds),
            "equity": .plain(report.account.marginBalance),
            "availableBalance": .plain(report.account.availableBalance),
            "switchedToOneWay": .bool(report.switchedToOneWay),
            "symbols": .array(configurations),
        ]
        return document.text
    }

    static func escaped(_ text: String) -> String {
        let quoted = JSONValue.string(text).text
        return String(quoted.dropFirst().dropLast())
    }
}
