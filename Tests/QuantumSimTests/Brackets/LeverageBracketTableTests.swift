import Foundation
import QuantumCore
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct LeverageBracketTableTests {
    private func n(_ text: String) -> Notional { BracketFixtures.notional(text) }

    @Test func theRealFileLoadsExactly() throws {
        let table = try #require(BracketFixtures.table)
        #expect(table.symbols.count == 349)
        let btc = try #require(table[Symbol("BTCUSDT")])
        #expect(btc.brackets.count == 12)
        #expect(btc.brackets[0] == BracketFixtures.tier(1, 125, "0", "50000", "0.004", "0"))
        #expect(btc.brackets[2] == BracketFixtures.tier(3, 75, "600000", "3000000", "0.0065", "950"))
        #expect(btc.brackets[11] == BracketFixtures.tier(12, 1, "1200000000", "1800000000", "0.5", "421481450"))
        #expect(table[Symbol("BTCUSDT_241227")] != nil && table[Symbol("BTCUSDC")] != nil)
        #expect(table[Symbol("NOSUCHUSDT")] == nil)
    }

    /// `cum_n = cum_{n−1} + floor_n × (mmr_n − mmr_{n−1})` holds exactly for every symbol (reference §8.5).
    @Test func cumFollowsBinancesRecurrenceForEverySymbol() throws {
        for schedule in try #require(BracketFixtures.table).schedules.values {
            for (previous, tier) in zip(schedule.brackets, schedule.brackets.dropFirst()) {
                let step = try tier.notionalFloor.fraction(try tier.maintMarginRatio - previous.maintMarginRatio, rounding: .nearest)
                #expect(try previous.cum + step == tier.cum, "\(schedule.symbol) bracket \(tier.bracket)")
            }
        }
    }

    @Test func binancesNoCapSentinelIsKeptAsUncapped() throws {
        let schedule = try #require(BracketFixtures.table?[Symbol("BTCSTUSDT")])
        let last = try #require(schedule.brackets.last)
        #expect(last.isUncapped)
        #expect(schedule.bracket(forNotional: n("90000000000"))?.bracket == last.bracket)
    }

    @Test func acceptsOneSymbolsObjectAndStringNumbers() throws {
        let json = #"{"symbol":"ETHUSDT","notionalCoef":1.5,"brackets":[{"bracket":1,"initialLeverage":"100","notionalCap":"10000","notionalFloor":0,"maintMarginRatio":"0.005","cum":"0.0"}]}"#
        let table = try LeverageBracketTable.parse(Data(json.utf8))
        #expect(table[Symbol("ETHUSDT")]?.brackets == [BracketFixtures.tier(1, 100, "0", "10000", "0.005", "0")])
    }

    private func failure(_ json: String) -> LeverageBracketError? {
        do { _ = try LeverageBracketTable.parse(Data(json.utf8)); return nil } catch { return error }
    }

    private func document(_ tier: String, symbol: String = #""BTCUSDT""#) -> String {
        #"[{"symbol":\#(symbol),"brackets":[\#(tier)]}]"#
    }

    private let good = #"{"bracket":1,"initialLeverage":125,"notionalCap":50000,"notionalFloor":0,"maintMarginRatio":0.004,"cum":0}"#

    @Test func aGoodDocumentParses() {
        #expect(failure(document(good)) == nil)
    }

    @Test(arguments: [
        ("initialLeverage", #""initialLeverage":125"#, #""initialLeverage":126"#),
        ("initialLeverage", #""initialLeverage":125"#, #""initialLeverage":12.5"#),
        ("initialLeverage", #""initialLeverage":125,"#, ""),
        ("bracket", #""bracket":1"#, #""bracket":true"#),
        ("notionalCap", #""notionalCap":50000"#, #""notionalCap":"50k""#),
        ("notionalCap", #""notionalCap":50000"#, #""notionalCap":null"#),
        ("notionalFloor", #""notionalFloor":0"#, #""notionalFloor":-1"#),
        ("maintMarginRatio", #""maintMarginRatio":0.004"#, #""maintMarginRatio":0.0040000001"#),
        ("maintMarginRatio", #""maintMarginRatio":0.004"#, #""maintMarginRatio":{}"#),
        ("cum", #""cum":0"#, #""cum":1e300"#),
    ])
    func malformedFieldsAreNamed(field: String, original: String, replacement: String) throws {
        let error = try #require(failure(document(good.replacingOccurrences(of: original, with: replacement))))
        #expect(error.code == .invalidField)
        #expect(error.symbol == "BTCUSDT")
        #expect(error.field == "brackets[0].\(field)")
        #expect(error.description.contains("BTCUSDT brackets[0].\(field)"))
    }

    @Test func malformedDocumentsAndSymbols() {
        #expect(failure("not json")?.code == .malformedDocument)
        #expect(failure(#"{"brackets":[]}"#)?.code == .malformedDocument)
        #expect(failure("[1, 2]")?.code == .malformedDocument)
        #expect(failure(#"[{"brackets":[]}]"#)?.field == "[0].symbol")
        #expect(failure(document(good, symbol: #""BTC USDT""#))?.code == .invalidSymbol)
        #expect(failure(#"[{"symbol":"BTCUSDT","brackets":{}}]"#)?.field == "brackets")
        #expect(failure(#"[{"symbol":"BTCUSDT","brackets":[]}]"#)?.code == .inconsistentBrackets)
        let twice = #"[{"symbol":"BTCUSDT","brackets":[\#(good)]},{"symbol":"BTCUSDT","brackets":[\#(good)]}]"#
        #expect(failure(twice)?.code == .invalidSymbol)
        #expect(throws: LeverageBracketError.self) { try LeverageBracketTable.load(contentsOf: URL(fileURLWithPath: "/nonexistent.json")) }
    }
}
