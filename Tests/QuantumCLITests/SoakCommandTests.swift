import Foundation
import QuantumTestSupport
import Testing

/// `quantum soak` as a user runs it: the same seed gives the same trace in two processes, the JSON names every
/// invariant and fault kind, and bad options are clear errors.
@Suite(.timeLimit(.minutes(3))) struct SoakCommandTests {
    static func soak(_ arguments: [String]) async throws -> (status: Int32, json: [String: Any], stderr: String) {
        let run = try await ProductRunner.run("quantum", ["soak"] + arguments + ["--json"])
        let json = (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
        return (run.status, json, run.stderr)
    }

    @Test func theSameSeedInTwoProcessesGivesTheSameTraceHash() async throws {
        let arguments = ["--seeds", "5", "--duration", "1h", "--symbols", "2", "--faults-per-hour", "60"]
        let first = try await Self.soak(arguments)
        let second = try await Self.soak(arguments)
        #expect(first.status == 0, "\(first.stderr) \(first.json)")
        let hash = { (json: [String: Any]) in ((json["seeds"] as? [[String: Any]])?.first?["trace_hash"] as? String) ?? "" }
        #expect(!hash(first.json).isEmpty)
        #expect(hash(first.json) == hash(second.json))
        let violations = try #require(first.json["violations"] as? [String: Int])
        #expect(violations.keys.sorted() == ["duplicate_order", "exit_blocked_by_guard", "exit_deadline_miss", "lost_message", "opened_while_halted",
                                             "plan_without_one_result", "position_drift", "stacked_position", "unprotected_beyond_period"])
        #expect(violations.values.allSatisfy { $0 == 0 })
        let faults = try #require(first.json["faults_injected"] as? [String: Int])
        #expect(faults.count >= 17 && faults.values.reduce(0, +) > 20)
    }

    @Test func badSoakOptionsAreClearErrors() async throws {
        for (arguments, named) in [(["--seeds", "x"], "--seeds"), (["--duration", "soon"], "--duration"), (["--symbols", "9"], "--symbols"),
                                   (["--faults", "meteor"], "--faults")] {
            let run = try await ProductRunner.run("quantum", ["soak"] + arguments)
            #expect(run.status == 64, "\(arguments)")
            #expect(run.stderr.contains(named), "\(run.stderr)")
        }
    }
}
