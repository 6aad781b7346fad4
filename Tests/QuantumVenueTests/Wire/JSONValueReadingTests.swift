import QuantumCore
import QuantumVenue
import Testing

@Suite(.timeLimit(.minutes(3))) struct JSONValueReadingTests {
    let row: JSONValue = ["price": "50000.10", "n": 5, "s": "12", "flag": "TRUE", "b": false, "empty": "", "nul": .null, "side": "BUY"]

    @Test func readsTypedFields() throws {
        #expect(try row.decimal("price", as: Price.self) == (try Price(parsing: "50000.1")))
        #expect(try row.integer("n") == 5)
        #expect(try row.integer("s") == 12)
        #expect(try row.boolean("flag") == true)
        #expect(try row.boolean("b") == false)
        #expect(try row.optionalString("empty") == nil)
        #expect(try row.optionalDecimal("nul", as: Price.self) == nil)
        #expect(try row.enumeration("side", as: OrderSide.self) == .buy)
        #expect(try row.boolean("missing", default: true))
    }

    @Test func failuresNameTheField() {
        let missing = #expect(throws: WireDecodingError.self) { try row.string("symbol") }
        #expect(missing?.field == "symbol" && missing?.message == "missing")
        let wrongKind = #expect(throws: WireDecodingError.self) { try row.integer("b") }
        #expect(wrongKind?.field == "b")
        let unknown = #expect(throws: WireDecodingError.self) { try row.enumeration("price", as: OrderSide.self) }
        #expect(unknown?.message.contains("unknown value") == true)
        let notDecimal = #expect(throws: WireDecodingError.self) { try row.decimal("side", as: Price.self) }
        #expect(notDecimal?.field == "side")
    }

    @Test func valuationsCutDigitsPastTheEighthAndDecimalsDoNot() throws {
        let json: JSONValue = ["bep": "41826.6416326531", "p": "1.123456789"]
        #expect(try json.valuation("bep", as: Price.self) == (try Price(parsing: "41826.64163265")))
        #expect(throws: WireDecodingError.self) { try json.decimal("p", as: Price.self) }
    }
}
