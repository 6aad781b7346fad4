import ArgumentParser

/// `quantum venue`: talk to an exchange through the adapter the trading system uses.
struct VenueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venue",
        abstract: "Check a venue (Binance, the demo, or a quantum exchange) through the live adapter.",
        subcommands: [VenueCheckCommand.self])
}
