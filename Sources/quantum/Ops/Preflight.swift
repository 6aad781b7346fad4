import ArgumentParser
import Foundation
import Logging
import QuantumBinance
import QuantumCore
import QuantumOps
import QuantumServices
import QuantumVenue

/// `quantum doctor --preflight`: every check a deployment must pass before it starts, each reported, none skipped silently.
struct Preflight {
    let state: StateOptions
    let trading: TradingOptions
    let venue: String?
    let apiKey: String?
    let apiSecret: String?
    let dashboardHost: String
    let dashboardPort: Int

    func run() async -> PreflightReport {
        var report = PreflightReport()
        let configuration: TradingSystem.Configuration
        do {
            configuration = try trading.configuration()
            report.add("configuration", nil, "\(configuration.symbols.count) symbols, leverage \(configuration.bridge.leverage.rawValue)x, all settings valid")
        } catch {
            report.add("configuration", "\(error)", "")
            return report
        }
        if state.redis != nil {
            report.add("redis", await state.redisProblem(), "\(state.location) answers")
        } else {
            report.add("state directory", Self.writable(state.state), "\(state.state) is writable")
        }
        if dashboardPort == 0 {
            report.add("dashboard port", nil, "0: any free port is taken at start")
        } else {
            report.add("dashboard port", PortProbe.bindError(host: dashboardHost, port: dashboardPort), "\(dashboardHost):\(dashboardPort) is free")
        }
        var logger = Logger(label: "quantum.preflight")
        logger.logLevel = .critical
        let target: Launch.Target
        if let venue {
            let credentials: VenueCredentials?
            do {
                let endpoints = try VenueEndpoints.custom(venue)
                credentials = if let apiKey, let apiSecret { VenueCredentials(environment: endpoints.environment, apiKey: apiKey, secretKey: apiSecret) }
                    else { try VenueCredentials.fromEnvironment(endpoints.environment) }
            } catch {
                report.add("venue keys", "\(error)", "")
                return report
            }
            guard credentials != nil else {
                report.add("venue keys", "no API keys: --api-key/--api-secret or QUANTUM_VENUE_API_KEY/QUANTUM_VENUE_API_SECRET", "")
                return report
            }
            report.add("venue keys", nil, "present for \(venue)")
            target = .external(url: venue, apiKey: apiKey, apiSecret: apiSecret)
        } else {
            report.add("venue keys", nil, "embedded exchange: its own keys")
            target = .embedded(speed: 1, market: .synthetic(seed: 1), balance: Notional(units: 10_000 * 100_000_000))
        }
        do {
            let launch = try await Launch.start(venue: target, symbols: configuration.symbols, leverage: configuration.bridge.leverage,
                                                logger: logger, positionMode: .assertOneWay)
            report.add("venue", nil, "reachable, one-way mode, leverage and clock checked (\(launch.description))")
            _ = await launch.stop(within: .seconds(5))
        } catch {
            report.add("venue", "\(error)", "")
        }
        return report
    }

    /// `nil` when a file can be created in `path` (made if missing), else why not.
    static func writable(_ path: String) -> String? {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let probe = URL(fileURLWithPath: path).appendingPathComponent(".preflight-\(getpid())")
            try Data("ok".utf8).write(to: probe)
            try FileManager.default.removeItem(at: probe)
            return nil
        } catch {
            return "\(path) is not writable: \(error.localizedDescription)"
        }
    }
}

/// The preflight's lines: ✅ or ❌ each; any ❌ exits non-zero.
struct PreflightReport {
    var checks: [(name: String, problem: String?, detail: String)] = []

    mutating func add(_ name: String, _ problem: String?, _ detail: String) { checks.append((name, problem, detail)) }

    var exitCode: Int32 { checks.contains { $0.problem != nil } ? 2 : 0 }

    var text: String {
        var lines = ["QUANTUM PREFLIGHT", ""]
        for check in checks {
            lines.append("\(check.problem == nil ? "✅" : "❌") \(check.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(check.problem ?? check.detail)")
        }
        lines.append("")
        lines.append(exitCode == 0 ? "ready to start" : "NOT ready: fix the ❌ lines")
        return lines.joined(separator: "\n") + "\n"
    }

    var json: String {
        let rows = checks.map { "{\"check\": \"\($0.name.jsonEscaped)\", \"ok\": \($0.problem == nil), \"detail\": \"\(($0.problem ?? $0.detail).jsonEscaped)\"}" }
        return "{\"ready\": \(exitCode == 0), \"checks\": [\(rows.joined(separator: ", "))]}\n"
    }
}
