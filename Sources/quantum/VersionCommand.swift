import ArgumentParser
import QuantumCore

/// `quantum version`: prints the build's version and message schema version.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version and schema version.")

    @Flag(help: "Print as JSON.")
    var json = false

    func run() {
        if json {
            print(#"{"version":"\#(QuantumVersion.current)","schema":"\#(currentSchemaVersion)"}"#)
        } else {
            print("quantum \(QuantumVersion.current) (message schema v\(currentSchemaVersion))")
        }
    }
}
