import ArgumentParser
import QuantumBacktest
import QuantumCore

/// `quantum config check FILE`: reads a configuration file the way `quantum backtest` does and reports the first problem.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Check configuration files.", subcommands: [ConfigCheckCommand.self])
}

struct ConfigCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a configuration file: unknown keys, wrong types and out-of-range values are reported with file, line, key and what is allowed.")

    @Argument(help: "The TOML file.") var file: String

    func run() async throws {
        do {
            let loaded = try BacktestConfiguration.load(path: file)
            let configuration = loaded.configuration, directory = loaded.dataDirectory
            print("\(file): ok — \(configuration.markets.count) symbol(s) (\(configuration.markets.map(\.symbol.rawValue).joined(separator: ", "))), "
                + "\(configuration.strategy.summary)\(configuration.exitOnCross ? "" : ", no exit on cross"), \(configuration.interval) bars, "
                + "backtest fills at the \(configuration.fills == .venue ? "venue" : "close"), live exits \(loaded.exitRules.rawValue)"
                + (directory.map { ", data in \($0)" } ?? ""))
        } catch {
            throw ValidationError(error.message)
        }
    }
}
