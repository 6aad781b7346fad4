import QuantumCore
import QuantumTestSupport
import Testing

@Suite struct QuantumCommandTests {
    @Test func helpDescribesTheCommand() throws {
        let result = try ProductRunner.run("quantum", ["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: quantum"))
        #expect(result.stdout.contains("version"))
    }

    @Test func versionPrintsTheVersionAndSchema() throws {
        let plain = try ProductRunner.run("quantum", ["version"])
        #expect(plain.status == 0)
        #expect(plain.stdout == "quantum \(QuantumVersion.current) (message schema v\(currentSchemaVersion))\n")
        let json = try ProductRunner.run("quantum", ["version", "--json"])
        #expect(json.stdout == #"{"version":"\#(QuantumVersion.current)","schema":"1"}"# + "\n")
        #expect(try ProductRunner.run("quantum", ["--version"]).stdout.contains(QuantumVersion.current))
    }

    @Test func badInputIsAClearErrorNotACrash() throws {
        let unknown = try ProductRunner.run("quantum", ["frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("Error:"))
        let badFlag = try ProductRunner.run("quantum", ["version", "--jsno"])
        #expect(badFlag.status == 64)
        #expect(badFlag.stderr.contains("--jsno"))
    }
}
