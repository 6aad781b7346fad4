// The child process of the SQLite durability test: appends and acknowledges entries on a SQLite file
// and reports each append and acknowledgement on stdout only after the call returned, so that a
// parent killing it at any moment knows what must have survived.
//
// Usage: quantum-bus-probe --db PATH --start-seq N --count N [--durability power-cut|process-crash]
// Output lines: "APPENDED <seq> <entryID>" and "ACKED <entryID>", flushed one by one.

import Foundation
import QuantumBus
import QuantumCore

/// The payload the probe writes for `seq`; the durability test recomputes it to check fields exactly.
func probePayload(_ seq: Int) -> String {
    "payload-\(seq)-" + String(repeating: "x", count: seq % 97)
}

/// Writes one line to stdout at once (an unbuffered write, so nothing is held back when killed).
func report(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Writes one line to stderr.
func complain(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Parses `--db PATH --start-seq N --count N [--durability D]`, exiting with status 64 on bad usage.
func arguments() -> (path: String, start: Int, count: Int, durability: SQLiteDatabase.Durability) {
    var values: [String: String] = [:]
    var iterator = CommandLine.arguments.dropFirst().makeIterator()
    while let flag = iterator.next() {
        guard let value = iterator.next() else { break }
        values[flag] = value
    }
    guard let path = values["--db"], let start = values["--start-seq"].flatMap({ Int($0) }),
          let count = values["--count"].flatMap({ Int($0) }), count >= 0,
          let durability = SQLiteDatabase.Durability(rawValue: values["--durability"] ?? SQLiteDatabase.Durability.powerCut.rawValue)
    else {
        complain("usage: quantum-bus-probe --db PATH --start-seq N --count N [--durability power-cut|process-crash]")
        exit(64)
    }
    return (path, start, count, durability)
}

/// Appends `count` entries from `start`, reads each back in group `g` and acknowledges every even seq.
func run(path: String, start: Int, count: Int, durability: SQLiteDatabase.Durability) async throws {
    let database = try SQLiteDatabase(path: path, durability: durability)
    let log = SQLiteEventLog(database: database, clock: SystemEpochClock())
    try await log.createGroup("probe", group: "g", start: .beginning)
    for seq in start..<(start + count) {
        let id = try await log.append("probe", fields: ["seq": String(seq), "payload": probePayload(seq)])
        report("APPENDED \(seq) \(id)")
        for delivery in try await log.readNew("probe", group: "g", consumer: "probe", count: 10, wait: nil) {
            guard let seq = delivery.entry.fields["seq"].flatMap({ Int($0) }), seq % 2 == 0 else { continue }
            try await log.acknowledge("probe", group: "g", ids: [delivery.entry.id])
            report("ACKED \(delivery.entry.id)")
        }
    }
}

let (path, start, count, durability) = arguments()
do {
    try await run(path: path, start: start, count: count, durability: durability)
} catch {
    complain("quantum-bus-probe: \(error)")
    exit(1)
}
