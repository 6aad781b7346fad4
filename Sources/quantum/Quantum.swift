import ArgumentParser
import QuantumCore

/// The `quantum` command: every way to run, inspect and operate the trading system.
@main
struct Quantum: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantum",
        abstract: "Quantum Trader: automated trading for Binance USDⓈ-M perpetual futures.",
        discussion: """
            Signals become plans, one executor turns each plan into exactly one order, positions \
            change only on confirmed fills, and exits are never blocked.
            """,
        version: QuantumVersion.current,
        subcommands: [
            VersionCommand.self, RunCommand.self, PositionsCommand.self, ResultsCommand.self, HaltCommand.self, ResumeCommand.self,
            CloseCommand.self, ServiceCommand.self, ExchangeCommand.self, VenueCommand.self, BenchCommand.self, DoctorCommand.self,
            DashboardCommand.self, SoakCommand.self, BacktestCommand.self, ConfigCommand.self,
        ]
    )
}
