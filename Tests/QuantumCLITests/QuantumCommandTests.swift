import QuantumCore
import QuantumTestSupport
import Testing

@Suite(.timeLimit(.minutes(3))) struct QuantumCommandTests {
    @Test func helpDescribesTheCommand() async throws {
        let result = try await ProductRunner.run("quantum", ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: quantum"))
        #expect(result.stdout.contains("version"))
    }

    @Test func versionPrintsTheVersionAndSchema() async throws {
        let plain = try await ProductRunner.run("quantum", ["version"])
        #expect(plain.status == 0)
        #expect(plain.stdout == "quantum \(QuantumVersion.current) (message schema v\(currentSchemaVersion))\n")
        let json = try await ProductRunner.run("quantum", ["version", "--json"])
        #expect(json.stdout == #"{"version":"\#(QuantumVersion.current)","schema":"1"}"# + "\n")
        #expect(try await ProductRunner.run("quantum", ["--version"]).stdout.contains(QuantumVersion.current))
    }

    @Test func badInputIsAClearErrorNotACrash() async throws {
        let unknown = try await ProductRunner.run("quantum", ["frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Error:"))
        let badFlag = try await ProductRunner.run("quantum", ["version", "--jsno"])
        #expect(badFlag.status == 64)
        #expect(badFlag.stderr.contains("--jsno"))
    }
}
