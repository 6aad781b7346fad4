import QuantumBacktest
import QuantumCore
import Testing

@Suite(.timeLimit(.minutes(3)))
struct BacktestConfigurationTests {
    let base = """
        [run]
        fee = "0.0004"
        leverage = 5

        [strategy]
        fast = 9
        slow = 21

        [symbols.BTCUSDT]
        step = "0.001"
        tick = "0.1"
        """

    func parse(_ text: String) throws -> BacktestConfiguration {
        try BacktestConfiguration.parse(try TOMLDocument.parse(text, file: "bt.toml")).configuration
    }

    func failure(_ text: String) -> ConfigurationError? {
        do { _ = try parse(text); return nil } catch let error as ConfigurationError { return error } catch { return nil }
    }

    @Test func valuesOverrideTheDefaults() throws {
        let configuration = try parse(base)
        #expect(configuration.feeRate == Ratio("0.0004")! && configuration.leverage.rawValue == 5)
        #expect(configuration.strategy.fast == 9 && configuration.strategy.slow == 21 && configuration.strategy.atrPeriod == 14)
        #expect(configuration.markets == [BacktestFixtures.btcMarket])
    }

    @Test func anUnknownKeyIsRefusedWithItsLineAndTheKeysAllowed() throws {
        let error = try #require(failure(base.replacingOccurrences(of: "fast = 9", with: "fats = 9")))
        #expect(error.code == .unknownKey && error.line == 6 && error.key == "strategy.fats")
        #expect(error.message.hasPrefix("bt.toml:6:") && error.message.contains("fast") && error.message.contains("slow"))
        let table = try #require(failure(base + "\n[strategey]\nfast = 1\n"))
        #expect(table.code == .unknownKey && table.message.contains("[strategey]"))
    }

    @Test func aWrongTypeAndAnOutOfRangeValueSayWhatIsAllowed() throws {
        let type = try #require(failure(base.replacingOccurrences(of: "leverage = 5", with: "leverage = \"5\"")))
        #expect(type.code == .wrongType && type.line == 3 && type.message.contains("expected an integer"))
        let range = try #require(failure(base.replacingOccurrences(of: "leverage = 5", with: "leverage = 200")))
        #expect(range.code == .outOfRange && range.message.contains("1…125") && range.message.contains("200"))
        let fee = try #require(failure(base.replacingOccurrences(of: "\"0.0004\"", with: "\"0.5\"")))
        #expect(fee.code == .outOfRange && fee.key == "run.fee")
        #expect(try parse(base.replacingOccurrences(of: "leverage = 5", with: "leverage = 5\nprotective_fill = \"gap\"")).protectiveFill == .gap)
        let fill = try #require(failure(base.replacingOccurrences(of: "leverage = 5", with: "leverage = 5\nprotective_fill = \"market\"")))
        #expect(fill.code == .outOfRange && fill.message.contains("\"gap\""))
        let gaps = try #require(failure(base + "\n[data]\ngaps = \"skip\"\n"))
        #expect(gaps.code == .outOfRange && gaps.message.contains("\"carry\""))
        let date = try #require(failure(base + "\n[data]\nfrom = \"May 4\"\n"))
        #expect(date.code == .outOfRange && date.key == "data.from")
    }

    @Test func theFillsTheCrossExitAndTheLiveExitRulesAreRead() throws {
        let file = try BacktestConfiguration.parse(try TOMLDocument.parse(
            base.replacingOccurrences(of: "leverage = 5", with: "leverage = 5\nfills = \"venue\"\nspread_ticks = 2")
                .replacingOccurrences(of: "slow = 21", with: "slow = 21\nexit_on_cross = false") + "\n[exits]\nrules = \"strategy\"\n",
            file: "bt.toml"))
        #expect(file.configuration.fills == .venue && file.configuration.halfSpreadTicks == 2 && !file.configuration.exitOnCross)
        #expect(file.exitRules == .strategy)
        let defaults = try BacktestConfiguration.parse(try TOMLDocument.parse(base, file: "bt.toml"))
        #expect(defaults.configuration.fills == .close && defaults.configuration.exitOnCross && defaults.exitRules == .managed)
        let flag = try #require(failure(base.replacingOccurrences(of: "slow = 21", with: "slow = 21\nexit_on_cross = \"no\"")))
        #expect(flag.code == .wrongType && flag.key == "strategy.exit_on_cross" && flag.message.contains("true or false"))
        let rules = try #require(failure(base + "\n[exits]\nrules = \"kill_score\"\n"))
        #expect(rules.code == .outOfRange && rules.message.contains("\"strategy\""))
        let fills = try #require(failure(base.replacingOccurrences(of: "leverage = 5", with: "leverage = 5\nfills = \"open\"")))
        #expect(fills.code == .outOfRange && fills.message.contains("\"venue\""))
    }

    @Test func aStrategyThatCannotWorkAndAFileWithoutSymbolsAreRefused() throws {
        let slow = try #require(failure(base.replacingOccurrences(of: "slow = 21", with: "slow = 5")))
        #expect(slow.code == .outOfRange && slow.message.contains("fast 9"))
        let none = try #require(failure("[run]\nleverage = 3\n"))
        #expect(none.code == .missing)
        let step = try #require(failure("[symbols.BTCUSDT]\ntick = \"0.1\"\n"))
        #expect(step.code == .missing && step.key == "symbols.BTCUSDT.step")
    }

    @Test func aTOMLSyntaxErrorKeepsItsLine() throws {
        do {
            _ = try BacktestConfiguration.load(path: "/nonexistent/bt.toml")
            Issue.record("a missing file loaded")
        } catch {
            #expect(error.code == .syntax && error.message.contains("/nonexistent/bt.toml"))
        }
    }
}
