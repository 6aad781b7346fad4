import Foundation
import QuantumBus
import QuantumCore
import QuantumTestSupport
import Testing

/// The durability proof: a child process appending and acknowledging on a SQLite file is killed with
/// SIGKILL at seeded random points, and everything it reported as done must have survived.
@Suite("SQLite durability", .timeLimit(.minutes(3)))
struct SQLiteDurabilityTests {
    /// What the parent learned from every child so far.
    struct Reported {
        var appended: [Int: EntryID] = [:]
        var acked: Set<EntryID> = []
    }

    /// Both settings: `process-crash` drops the fsync, and a SIGKILL is exactly what it must still survive.
    @Test("reported appends and acknowledgements survive SIGKILL", arguments: SQLiteDatabase.Durability.allCases)
    func survivesKill(durability: SQLiteDatabase.Durability) async throws {
        let probe = try ProbeProcess.executable()
        try await TemporaryDirectory.with { directory in
            let path = directory.appendingPathComponent("probe.sqlite").path
            var generator = SeededGenerator(seed: 0xD0_0B1E_5EED)
            var reported = Reported()
            // Each child is asked for far more entries than it can write before the kill arrives.
            let rounds = 25, seqsPerRound = 1_000_000
            for round in 0..<rounds {
                let killAfter = Int.random(in: 1...200, using: &generator)
                let run = try await ProbeProcess.run(
                    probe,
                    arguments: ["--db", path, "--start-seq", String(round * seqsPerRound), "--count", String(seqsPerRound),
                                "--durability", durability.rawValue],
                    killAfterLines: killAfter
                )
                #expect(run.killedBySignal, "round \(round): the probe was not killed while running (status \(run.status))")
                #expect(run.lines.count >= killAfter, "round \(round): the probe stopped early")
                try record(run.lines, into: &reported, round: round)
                try await verify(path: path, reported: reported, round: round)
            }
            #expect(reported.appended.count > rounds, "the probe appended across rounds")
        }
    }

    /// Adds the child's "APPENDED <seq> <id>" and "ACKED <id>" lines to what was reported.
    private func record(_ lines: [String], into reported: inout Reported, round: Int) throws {
        for line in lines {
            let parts = line.split(separator: " ").map(String.init)
            switch (parts.first, parts.count) {
            case ("APPENDED", 3):
                let seq = try #require(Int(parts[1]), "round \(round): bad line \(line)")
                let id = try #require(EntryID(parts[2]), "round \(round): bad line \(line)")
                #expect(reported.appended.updateValue(id, forKey: seq) == nil, "round \(round): seq \(seq) reported twice")
            case ("ACKED", 2):
                reported.acked.insert(try #require(EntryID(parts[1]), "round \(round): bad line \(line)"))
            default:
                Issue.record("round \(round): unexpected probe output \(line)")
            }
        }
    }

    /// Reopens the file and checks every reported append and acknowledgement, and that the log still works.
    private func verify(path: String, reported: Reported, round: Int) async throws {
        let database = try SQLiteDatabase(path: path)
        defer { try? database.close() }
        let log = SQLiteEventLog(database: database)
        let entries = try await log.range("probe", from: .zero, to: .max, count: .max)
        var bySeq: [Int: StreamEntry] = [:]
        for entry in entries {
            guard let seqText = entry.fields["seq"] else { continue } // the checks' own appends
            let seq = try #require(Int(seqText), "round \(round): bad seq in \(entry)")
            #expect(bySeq.updateValue(entry, forKey: seq) == nil, "round \(round): seq \(seq) stored twice")
        }
        for (seq, id) in reported.appended {
            let stored = bySeq[seq]
            #expect(stored?.id == id, "round \(round): reported append \(seq) (\(id)) is missing or moved")
            #expect(stored?.fields == ["seq": String(seq), "payload": ProbeProcess.payload(seq)], "round \(round)")
        }
        let pending = Set(try await log.pending("probe", group: "g").map(\.id))
        #expect(pending.isDisjoint(with: reported.acked), "round \(round): an acknowledged entry is pending again")

        let check = try await log.append("probe", fields: ["check": String(round)])
        #expect(check > (entries.last?.id ?? .zero), "round \(round): the log accepts appends after the crash")
        #expect(try await log.length("probe") == entries.count + 1)
    }
}
