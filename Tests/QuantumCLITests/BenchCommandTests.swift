import QuantumTestSupport
import Testing

/// The benchmarks are opt-in, but they must keep working: a tiny run of each mode completes and reports its figures.
@Suite(.timeLimit(.minutes(3))) struct BenchCommandTests {
    @Test func aShortPipelineBenchRunsBothTransportsAndReportsPercentiles() async throws {
        let result = try await ProductRunner.run("quantum", ["bench", "pipeline", "--round-trips", "3", "--backlog-rounds", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        for mode in ["in-process", "loopback"] {
            #expect(result.stdout.contains("pipeline \(mode), sqlite (power-cut) bus and state: 3 round trips"))
        }
        #expect(result.stdout.components(separatedBy: "intent → order sent   opens:  p50 ").count == 3)
        #expect(result.stdout.components(separatedBy: "executor: 20 plans (5 symbols").count == 3)
    }

    @Test func aPipelineBacklogOverManySymbolsRunsThemSideBySide() async throws {
        let result = try await ProductRunner.run("quantum", ["bench", "pipeline", "--transport", "in-process", "--round-trips", "2",
                                                             "--backlog-rounds", "1", "--symbols", "12"])
        #expect(result.status == 0, "\(result.stderr.suffix(2000))")
        #expect(result.stdout.contains("executor: 24 plans (12 symbols"), "\(result.stdout)")
    }

    @Test func badBenchOptionsAreClearErrors() async throws {
        let result = try await ProductRunner.run("quantum", ["bench", "pipeline", "--round-trips", "0"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--round-trips"))
        let storage = try await ProductRunner.run("quantum", ["bench", "pipeline", "--storage", "redis"])
        #expect(storage.status == 64)
        #expect(storage.stderr.contains("--storage"))
        let durability = try await ProductRunner.run("quantum", ["bench", "pipeline", "--durability", "sometimes"])
        #expect(durability.status == 64)
        #expect(durability.stderr.contains("--durability"))
        let symbols = try await ProductRunner.run("quantum", ["bench", "symbols", "--counts", "10,0"])
        #expect(symbols.status == 64)
        #expect(symbols.stderr.contains("--counts"))
    }
}
