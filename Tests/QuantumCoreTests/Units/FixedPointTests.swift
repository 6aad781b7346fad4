import QuantumCore
import QuantumTestSupport
import Foundation
import Testing

@Suite(.timeLimit(.minutes(3))) struct FixedPointTests {
    @Test(arguments: [
        ("0.001", "0.001"), ("50000.00", "50000"), ("0.0010", "0.001"), ("7", "7"), (".5", "0.5"), ("-1.5", "-1.5"),
        ("+2.25", "2.25"), ("0.00000001", "0.00000001"), ("1246396.60", "1246396.6"), ("0.100000000", "0.1"), ("-0", "0"),
        ("92233720368.54775807", "92233720368.54775807"),
    ])
    func parsesBinanceDecimalsExactly(text: String, canonical: String) throws {
        let price = try Price(parsing: text)
        #expect(price.description == canonical)
        #expect(try Price(parsing: price.description) == price)
    }

    /// Rendering against a plain reference (the digits of the integer with the point put in) over random amounts of
    /// every size and sign, with and without fixed decimals.
    @Test func rendersLikeTheReferenceAndParsesBack() throws {
        var rng = SplitMix64(seed: 7, stream: "render")
        for round in 0..<20_000 {
            let digits = Int(rng.next() % 19)
            var units = Int64(bitPattern: rng.next()) % (digits == 0 ? 1 : Int64(pow(10.0, Double(digits))))
            if round % 7 == 0 { units = Int64(bitPattern: rng.next()) }
            let price = Price(units: units)
            let raw = String(units.magnitude)
            let padded = String(repeating: "0", count: max(0, 9 - raw.count)) + raw
            var fraction = String(padded.suffix(8))
            while fraction.last == "0" { fraction.removeLast() }
            let whole = String(padded.dropLast(8))
            let reference = (units < 0 ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
            #expect(price.description == reference, "units \(units)")
            #expect(try Price(parsing: price.description) == price)
            let fixed = price.formatted(decimals: 8)
            #expect(try Price(parsing: fixed) == price && fixed.split(separator: ".").last?.count == 8, "units \(units): \(fixed)")
        }
    }

    @Test(arguments: ["", "-", ".", "1.2.3", "1e5", " 1", "1 ", "nan", "0x10", "1,5", "--1", "١٢"])
    func rejectsMalformedDecimals(text: String) {
        #expect(throws: MoneyError.self) { try Quantity(parsing: text) }
        #expect(Quantity(text) == nil)
    }

    @Test func rejectsMoreThanEightSignificantDecimals() {
        #expect {
            try Price(parsing: "0.000000001")
        } throws: { ($0 as? MoneyError)?.code == .tooManyDecimals }
    }

    @Test func rejectsOutOfRange() {
        #expect { try Price(parsing: "92233720368.54775808") } throws: { ($0 as? MoneyError)?.code == .overflow }
        #expect { try Price(parsing: "99999999999999999999") } throws: { ($0 as? MoneyError)?.code == .overflow }
    }

    @Test func formatsWithFixedDecimalsForBinance() throws {
        #expect(try Price(parsing: "50000.1").formatted(decimals: 2) == "50000.10")
        #expect(try Quantity(parsing: "0.0015").formatted(decimals: 3) == "0.002")
        #expect(try Quantity(parsing: "0.0015").formatted(decimals: 3, rounding: .down) == "0.001")
        #expect(try Price(parsing: "-0.5").formatted(decimals: 0) == "-1")
        #expect(Price.zero.formatted(decimals: 2) == "0.00")
        #expect(try Quantity(parsing: "0.0010").significantDecimals == 3)
        #expect(try Quantity(parsing: "12").significantDecimals == 0)
    }

    @Test func arithmeticIsExactAndOverflowChecked() throws {
        let a = try Notional(parsing: "0.1"), b = try Notional(parsing: "0.2")
        #expect(try a + b == (try Notional(parsing: "0.3")))
        #expect(try a - b == (try Notional(parsing: "-0.1")))
        let max = Notional(units: .max)
        #expect(throws: MoneyError.self) { try max + Notional(units: 1) }
        #expect(throws: MoneyError.self) { try Notional(units: .min) - Notional(units: 1) }
        #expect(throws: MoneyError.self) { try max * 2 }
        #expect(throws: MoneyError.self) { try Notional(units: .min).magnitude() }
        #expect(throws: MoneyError.self) { try Notional(units: .min).negated() }
        #expect(throws: MoneyError.self) { try Price(whole: .max) }
    }

    @Test func unitConversionsUseWideIntermediates() throws {
        // 111 959.5 × 1000 BTC = 111 959 500 USDT: the raw product of units is 10^22, beyond Int64.
        let price = try Price(parsing: "111959.5")
        let quantity = try Quantity(parsing: "1000")
        let notional = try price.notional(of: quantity)
        #expect(notional == (try Notional(parsing: "111959500")))
        let leverage = try #require(Leverage(rawValue: 10))
        #expect(try notional.margin(at: leverage) == (try Margin(parsing: "11195950")))
        #expect(try notional.quantity(at: price) == quantity)
        #expect(try Margin(parsing: "200").notional(at: leverage) == (try Notional(parsing: "2000")))
        // The seed's FM-37: $200 margin at 10x is $2000 notional, 0.02 BTC at 100 000, not 0.002.
        let qty = try (try Margin(parsing: "200").notional(at: leverage)).quantity(at: try Price(parsing: "100000"))
        #expect(qty == (try Quantity(parsing: "0.02")))
    }

    @Test func conversionRoundingIsExplicit() throws {
        let leverage = try #require(Leverage(rawValue: 3))
        let notional = try Notional(parsing: "0.00000010")
        #expect(try notional.margin(at: leverage) == Margin(units: 4))
        #expect(try notional.margin(at: leverage, rounding: .down) == Margin(units: 3))
        #expect(throws: MoneyError.self) { try notional.quantity(at: .zero) }
        #expect(Leverage(rawValue: 0) == nil)
        #expect(Leverage(rawValue: 126) == nil)
    }

    @Test(arguments: [
        ("0.12345", "0.001", RoundingRule.down, "0.123"), ("0.12345", "0.001", .up, "0.124"), ("0.1235", "0.001", .nearest, "0.124"),
        ("0.1234", "0.001", .nearest, "0.123"), ("-0.1234", "0.001", .down, "-0.124"), ("-0.1234", "0.001", .towardZero, "-0.123"),
        ("33518.7", "1", .down, "33518"), ("50000.07", "0.1", .down, "50000"), ("50000.05", "0.1", .nearest, "50000.1"),
        ("0.3", "0.1", .down, "0.3"),
    ])
    func roundsToStep(value: String, step: String, rule: RoundingRule, expected: String) throws {
        #expect(try Quantity(parsing: value).rounded(toStep: try Quantity(parsing: step), rule) == (try Quantity(parsing: expected)))
    }

    @Test func stepMustBePositive() {
        #expect { try Quantity(parsing: "1").rounded(toStep: .zero) } throws: { ($0 as? MoneyError)?.code == .invalidStep }
    }

    @Test func multiplesAreCountedFromTheBase() throws {
        let step = try Price(parsing: "0.1"), base = try Price(parsing: "402")
        #expect(try Price(parsing: "50000.1").isMultiple(of: step, from: base))
        #expect(try !Price(parsing: "50000.15").isMultiple(of: step, from: base))
    }

    @Test func fractionsAndRatiosAreExact() throws {
        let q = try Quantity(parsing: "0.01")
        #expect(try q.fraction(try Ratio(parsing: "0.25")) == (try Quantity(parsing: "0.0025")))
        #expect(try q.ratio(to: try Quantity(parsing: "0.04")) == (try Ratio(parsing: "0.25")))
        #expect(try Ratio(basisPoints: 12) == (try Ratio(parsing: "0.0012")))
        #expect(throws: MoneyError.self) { try q.ratio(to: .zero) }
    }

    @Test func randomRoundTripsAreLossless() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<20_000 {
            let value = Notional(units: Int64.random(in: -9_000_000_000_000_000_000...9_000_000_000_000_000_000, using: &rng))
            #expect(try Notional(parsing: value.description) == value)
            for decimals in [0, 2, 8] {
                let text = value.formatted(decimals: decimals, rounding: .down)
                #expect(try Notional(parsing: text) <= value)
            }
        }
    }
}
