import QuantumCore
import QuantumExchange
import QuantumSim
import Testing

@Suite(.timeLimit(.minutes(3))) struct BinanceParametersTests {
    private enum Side: String { case buy = "BUY", sell = "SELL" }

    @Test(arguments: [("true", true), ("TRUE", true), ("True", true), ("false", false), ("FALSE", false), ("fAlSe", false)])
    func booleansInAnyCase(text: String, expected: Bool) throws {
        let parameters = BinanceParameters(["reduceOnly": text])
        #expect(try parameters.bool("reduceOnly") == expected)
        #expect(try parameters.requiredBool("reduceOnly") == expected)
    }

    @Test func invalidAndMissingBooleans() {
        let parameters = BinanceParameters(["reduceOnly": "yes", "empty": ""])
        #expect(thrown { try parameters.bool("reduceOnly") } == .invalidParameter("reduceOnly"))
        #expect(thrown { try parameters.bool("absent") } == nil)
        #expect(thrown { try parameters.requiredBool("absent") } == .mandatoryParameter("absent"))
        #expect(thrown { try parameters.requiredBool("empty") } == .mandatoryParameter("empty"))
    }

    @Test func strings() throws {
        let parameters = BinanceParameters(["symbol": "BTCUSDT", "empty": ""])
        #expect(try parameters.requiredString("symbol") == "BTCUSDT")
        #expect(parameters.string("empty") == nil)
        #expect(parameters["empty"] == "")
        let error = thrown { try parameters.requiredString("side") }
        #expect(error?.code == -1102)
        #expect(error?.message == "Mandatory parameter 'side' was not sent, was empty/null, or malformed.")
    }

    @Test func integers() throws {
        let parameters = BinanceParameters([
            "limit": "500", "letters": "12ab", "negative": "-5", "huge": "99999999999999999999", "long": "123456789012345678901", "spaced": " 1",
        ])
        #expect(try parameters.int("limit") == 500)
        #expect(try parameters.requiredInt64("limit") == 500)
        #expect(try parameters.millis("limit") == EpochMillis(500))
        let letters = thrown { try parameters.int64("letters") }
        #expect(letters?.code == -1100)
        #expect(letters?.message == "Illegal characters found in parameter 'letters'; legal range is '^[0-9]{1,20}$'.")
        #expect(thrown { try parameters.int64("negative") }?.code == -1100)
        #expect(thrown { try parameters.int64("spaced") }?.code == -1100)
        #expect(thrown { try parameters.int64("long") }?.code == -1100)
        #expect(thrown { try parameters.int64("huge") } == .invalidParameter("huge"))
        #expect(try parameters.int("absent") == nil)
        #expect(thrown { try parameters.requiredInt("absent") } == .mandatoryParameter("absent"))
    }

    @Test func decimals() throws {
        let parameters = BinanceParameters([
            "quantity": "0.0010", "price": "50000.00", "exp": "1e5", "lead": ".5", "neg": "-1", "dots": "1.2.3", "fine": "0.000000001",
            "big": "99999999999999999999",
        ])
        #expect(try parameters.decimal("quantity", as: QuantityUnit.self) == Quantity(units: 100_000))
        #expect(try parameters.requiredDecimal("price", as: PriceUnit.self).description == "50000")
        for name in ["exp", "lead", "neg", "dots"] {
            let error = thrown { try parameters.decimal(name, as: PriceUnit.self) }
            #expect(error?.code == -1100, "\(name)")
        }
        #expect(thrown { try parameters.decimal("exp", as: PriceUnit.self) }?.message
            == "Illegal characters found in parameter 'exp'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'.")
        #expect(thrown { try parameters.decimal("fine", as: PriceUnit.self) } == EdgeErrors.badPrecision)
        #expect(thrown { try parameters.decimal("big", as: PriceUnit.self) } == .invalidParameter("big"))
        #expect(try parameters.decimal("absent", as: PriceUnit.self) == nil)
        #expect(thrown { try parameters.requiredDecimal("absent", as: PriceUnit.self) }?.code == -1102)
    }

    @Test func enumerations() throws {
        let parameters = BinanceParameters(["side": "BUY", "bad": "buy"])
        #expect(try parameters.enumeration("side", as: Side.self) == .buy)
        #expect(thrown { try parameters.enumeration("bad", as: Side.self, invalid: .invalidSide) } == .invalidSide)
        #expect(thrown { try parameters.enumeration("bad", as: Side.self) } == .invalidParameter("bad"))
        #expect(thrown { try parameters.requiredEnumeration("absent", as: Side.self) }?.code == -1102)
    }
}
