import ArgumentParser
import Foundation
import QuantumBus
import QuantumCore

/// `--state DIR`: where the embedded bus and state live (one SQLite file), shared by `run` and the operator commands.
struct StateOptions: ParsableArguments {
    @Option(help: "State directory (SQLite bus and state).")
    var state = "./quantum-state"

    var databasePath: String { URL(fileURLWithPath: state).appendingPathComponent("quantum.sqlite").path }

    /// Opens the state, creating the directory when `create` (else it must exist: a typo must not start an empty state).
    func open(create: Bool, clock: any EpochClock = SystemEpochClock()) throws -> (log: SQLiteEventLog, store: SQLiteStateStore) {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: state, isDirectory: &isDirectory)
        if exists, !isDirectory.boolValue { throw ValidationError("--state \(state) is a file, not a directory") }
        if !exists {
            guard create else { throw ValidationError("no state at \(state): start the system with `quantum run --state \(state)` first") }
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        }
        if !create, !FileManager.default.fileExists(atPath: databasePath) {
            throw ValidationError("no state at \(state): start the system with `quantum run --state \(state)` first")
        }
        let database = try SQLiteDatabase(path: databasePath)
        return (SQLiteEventLog(database: database, clock: clock), SQLiteStateStore(database: database, clock: clock))
    }
}
